/**
 * `<fh-storage-warning>`: says plainly when this browser will not keep the
 * learner's progress (private window, blocked or full storage) and offers
 * "Download my record", so nothing recorded on this page is lost. Shows
 * nothing while storage works.
 */
import { learnerRecord } from '../src/browser/learner.ts';

type StorageState = Awaited<ReturnType<typeof learnerRecord>>['record']['storageState'];

export class FhStorageWarning extends HTMLElement {
  private stop: (() => void) | undefined;

  connectedCallback(): void {
    this.hidden = true;
    learnerRecord().then(
      (learner) => {
        if (!this.isConnected) return;
        this.show(learner.record.storageState);
        this.stop = learner.record.onStorageStateChange((state) => this.show(state));
      },
      (error: unknown) => {
        console.error('The learning record could not be opened.', error);
        if (this.isConnected) this.showNotOpened();
      },
    );
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
        : state.reason === 'damaged'
          ? 'The progress saved in this browser has been damaged, so this website cannot read it or add to it. To start again, clear this website’s data in your browser’s settings.'
          : 'This browser is not letting this website keep your progress, for example because it is a private window or its storage is blocked or full.';
    const next = document.createElement('p');
    next.append(
      'Your progress lasts until you close this page. Download your record now and again before you leave. You can load it on the ',
      Object.assign(document.createElement('a'), { href: '/privacy/#record-controls', textContent: 'privacy page' }),
      ' next time.',
    );
    const button = Object.assign(document.createElement('button'), { type: 'button', className: 'button', textContent: 'Download my record' });
    const failed = Object.assign(document.createElement('p'), { className: 'error-message', hidden: true });
    button.addEventListener('click', () => {
      failed.hidden = true;
      this.download().catch((error: unknown) => {
        console.error('The record could not be downloaded.', error);
        failed.textContent =
          'Your record could not be downloaded. Try again. If it still does not download, stay on this page and ask someone to help you save it.';
        failed.hidden = false;
      });
    });
    this.showWarning(Object.assign(document.createElement('p'), { textContent: reason }), next, button, failed);
  }

  /** The record did not open at all (its code did not load, or it failed): there is nothing to download. */
  private showNotOpened(): void {
    this.showWarning(
      Object.assign(document.createElement('p'), {
        textContent: 'This page could not open your learning record, so nothing you do here will be saved. Anything saved before is still in this browser.',
      }),
      Object.assign(document.createElement('p'), {
        textContent: 'Reload the page to try again. If this message comes back, check your internet connection, then try again later.',
      }),
    );
  }

  private showWarning(...content: HTMLElement[]): void {
    const box = Object.assign(document.createElement('div'), { className: 'notification notification--warning' });
    box.setAttribute('role', 'alert');
    const title = Object.assign(document.createElement('h2'), {
      className: 'notification__title',
      textContent: 'Your progress cannot be saved in this browser',
    });
    const body = Object.assign(document.createElement('div'), { className: 'notification__body' });
    body.append(...content);
    box.append(title, body);
    this.replaceChildren(box);
    this.hidden = false;
  }

  private async download(): Promise<void> {
    // Loaded when asked for: the warning is on every learning page, the download rarely used.
    const [{ downloadMyRecord }, learner] = await Promise.all([import('../src/browser/record-download.ts'), learnerRecord()]);
    await downloadMyRecord(learner);
  }
}

if (!customElements.get('fh-storage-warning')) customElements.define('fh-storage-warning', FhStorageWarning);

declare global {
  interface HTMLElementTagNameMap {
    'fh-storage-warning': FhStorageWarning;
  }
}
