/**
 * `<fh-status item-id="safeguarding-basics">`: the learner's status for one
 * module or film, as a tag and a sentence, kept up to date as the record
 * changes (in this tab or another). Renders nothing until the record is read,
 * and "Progress cannot be shown" if it cannot be opened.
 */
import { learnerRecord } from '../src/browser/learner.ts';

export class FhStatus extends HTMLElement {
  private unwatch: (() => void) | undefined;

  connectedCallback(): void {
    const itemId = this.getAttribute('item-id');
    if (!itemId) return;
    learnerRecord().then(
      (learner) => {
        if (!this.isConnected) return;
        this.unwatch = learner.watchItem(itemId, (view) => {
          const tag = Object.assign(document.createElement('strong'), { className: `tag tag--${view.state}`, textContent: view.label });
          this.replaceChildren(tag, ...(view.detail ? [' ', view.detail] : []));
        });
      },
      (error: unknown) => {
        // The page's <fh-storage-warning> says what happened and what to do; here, only that progress is not shown.
        console.error('The learning record could not be opened, so progress is not shown.', error);
        this.replaceChildren('Progress cannot be shown');
      },
    );
  }

  disconnectedCallback(): void {
    this.unwatch?.();
    this.unwatch = undefined;
  }
}

if (!customElements.get('fh-status')) customElements.define('fh-status', FhStatus);

declare global {
  interface HTMLElementTagNameMap {
    'fh-status': FhStatus;
  }
}
