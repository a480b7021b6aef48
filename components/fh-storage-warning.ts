/**
 * `<fh-storage-warning>`: says plainly when this browser will not keep the
 * learner's progress (private window, blocked or full storage) and offers
 * "Download my record", so nothing recorded on this page is lost. Shows
 * nothing while storage works.
 */
import { learnerRecord } from '../src/browser/learner.ts';
import { downloadMyRecord } from '../src/browser/record-download.ts';

type StorageState = Awaited<ReturnType<typeof learnerRecord>>['record']['storageState'];

export class FhStorageWarning extends HTMLElement {
  private stop: (() => void) | undefined;

  connectedCallback(): void {
    this.hidden = true;
    void learnerRecord().then((learner) => {
      if (!this.isConnected) return;
      this.show(learner.record.storageState);
      this.stop = learner.record.onStorageStateChange((state) => this.show(state));
    });
  }

  disconnectedCallback(): void {
    this.stop?.();
    this.stop = undefined;
  }

  private show(state: StorageState): void {
    if (state.mode === 'persistent') {
      this.hidden = true;
      return;
    }
    const reason =
      state.reason === 'quota'
        ? 'This browser has run out of space for this website, so new progress cannot be saved.'
        : 'This browser is not letting this website keep your progress, for example because it is a private window or its storage is blocked or full.';
    const box = Object.assign(document.createElement('div'), { className: 'notification notification--warning' });
    box.setAttribute('role', 'alert');
    const title = Object.assign(document.createElement('h2'), {
      className: 'notification__title',
      textContent: 'Your progress cannot be saved in this browser',
    });
    const body = Object.assign(document.createElement('div'), { className: 'notification__body' });
    const next = document.createElement('p');
    next.append(
      'Your progress lasts until you close this page. Download your record now and again before you leave. You can load it on the ',
      Object.assign(document.createElement('a'), { href: '/privacy/#record-controls', textContent: 'privacy page' }),
      ' next time.',
    );
    const button = Object.assign(document.createElement('button'), { type: 'button', className: 'button', textContent: 'Download my record' });
    button.addEventListener('click', () => void this.download());
    body.append(Object.assign(document.createElement('p'), { textContent: reason }), next, button);
    box.append(title, body);
    this.replaceChildren(box);
    this.hidden = false;
  }

  private async download(): Promise<void> {
    await downloadMyRecord(await learnerRecord());
  }
}

if (!customElements.get('fh-storage-warning')) customElements.define('fh-storage-warning', FhStorageWarning);

declare global {
  interface HTMLElementTagNameMap {
    'fh-storage-warning': FhStorageWarning;
  }
}
