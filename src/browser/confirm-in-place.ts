/**
 * Asking "are you sure?" inside the page rather than with the browser's
 * `confirm()`: a warning and a pair of buttons ("Yes, remove …", "Cancel") shown
 * where the button was, in the site's own words and styles, readable by screen
 * readers and zoomable like the rest of the page. Focus moves to the question;
 * Cancel or Escape puts everything back and returns focus to the button that asked.
 */

export interface ConfirmInPlace {
  /** The question, as a warning: "Remove Tom Reed? They will no longer be able to sign in." */
  question: string;
  /** The button that goes ahead: "Yes, remove Tom Reed". */
  confirmLabel: string;
  /** Runs when the person chooses the confirm button. */
  onConfirm: () => void;
}

let openCount = 0;
/** Puts back the confirmation that is open, if any: only one question at a time. */
let closeOpen: (() => void) | undefined;

/** Shows the question in place of `trigger` and waits for the answer. */
export function confirmInPlace(trigger: HTMLElement, { question, confirmLabel, onConfirm }: ConfirmInPlace): void {
  closeOpen?.();
  const id = `confirm-question-${++openCount}`;
  const panel = document.createElement('div');
  panel.className = 'confirm-in-place';
  panel.setAttribute('role', 'group');
  panel.setAttribute('aria-labelledby', id);

  const warning = document.createElement('div');
  warning.className = 'warning-text';
  const icon = document.createElement('span');
  icon.className = 'warning-text__icon';
  icon.setAttribute('aria-hidden', 'true');
  icon.textContent = '!';
  const text = document.createElement('p');
  text.id = id;
  text.tabIndex = -1;
  const hidden = document.createElement('span');
  hidden.className = 'visually-hidden';
  hidden.textContent = 'Warning: ';
  text.append(hidden, question);
  warning.append(icon, text);

  const yes = document.createElement('button');
  yes.type = 'button';
  yes.className = 'button button--warning';
  yes.textContent = confirmLabel;
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'button button--secondary';
  cancel.textContent = 'Cancel';
  const buttons = document.createElement('div');
  buttons.className = 'button-group';
  buttons.append(yes, cancel);
  panel.append(warning, buttons);

  const close = (refocus: boolean) => {
    panel.remove();
    trigger.hidden = false;
    if (closeOpen === closeThis) closeOpen = undefined;
    if (refocus && trigger.isConnected) trigger.focus();
  };
  const closeThis = () => close(false);
  closeOpen = closeThis;

  yes.addEventListener('click', () => {
    close(true);
    onConfirm();
  });
  cancel.addEventListener('click', () => close(true));
  panel.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    close(true);
  });

  trigger.hidden = true;
  trigger.after(panel);
  text.focus();
}
