/**
 * `<fh-status item-id="safeguarding-basics">`: the learner's status for one
 * module or film, as a tag and a sentence, kept up to date as the record
 * changes (in this tab or another). Renders nothing until the record is read.
 */
import { learnerRecord } from '../src/browser/learner.ts';

export class FhStatus extends HTMLElement {
  private unwatch: (() => void) | undefined;

  connectedCallback(): void {
    const itemId = this.getAttribute('item-id');
    if (!itemId) return;
    void learnerRecord().then((learner) => {
      if (!this.isConnected) return;
      this.unwatch = learner.watchItem(itemId, (view) => {
        const tag = Object.assign(document.createElement('strong'), { className: `tag tag--${view.state}`, textContent: view.label });
        this.replaceChildren(tag, ...(view.detail ? [' ', view.detail] : []));
      });
    });
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
