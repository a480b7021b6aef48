/**
 * The devices page: a browser that is signed in shows a one-time code (and its QR
 * code) for another device, the learner's devices with a way to sign any of them
 * out, the download of what the hub holds, and "sign out of this computer". A
 * browser that is not signed in takes a code to continue here.
 */
import { downloadFile } from '../../browser/download.ts';
import { downloadMyRecord } from '../../browser/record-download.ts';
import { findHub } from '../../browser/hub.ts';
import {
  HubRequestError,
  hubRequest,
  localLearning,
  forgetCredential,
  problemOf,
  readCredential,
  signOutOfThisComputer,
  takeUpAccount,
  type SignedIn,
} from '../../browser/hub-account.ts';
import { learnerRecord } from '../../browser/learner.ts';
import { councilTimeZone } from '../../browser/status-words.ts';
import { showFormProblems } from '../../browser/form-errors.ts';
import { formatDate } from '../../lib/dates/index.ts';

/** A text field of the form, '' when absent. */
const textOf = (data: FormData, name: string): string => {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
};

const $ = <T extends HTMLElement = HTMLElement>(selector: string) => {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`The devices page is missing ${selector}`);
  return element;
};

interface DeviceSummary {
  id: string;
  label: string;
  shared: boolean;
  created: string;
  lastUsed: string;
  current: boolean;
}

interface Me {
  learner: { name: string; organisation: string; status: 'awaiting' | 'confirmed' };
}

const whatFailed = (what: string, error: unknown) => {
  if (error instanceof HubRequestError) return `${what} did not work: ${error.message}.`;
  console.error(error);
  return `${what} did not work. Check your connection, then try again.`;
};

export function startDevices(): void {
  run().catch((failure: unknown) => {
    console.error(failure);
    $('[data-devices-status]').textContent = 'Something went wrong on this page. Reload it and try again.';
  });
}

async function run(): Promise<void> {
  const status = $('[data-devices-status]');
  if (!(await findHub())) {
    status.textContent = '';
    $('[data-no-hub]').hidden = false;
    return;
  }
  if (readCredential()) {
    try {
      const me = await hubRequest<Me>('/me');
      status.textContent = '';
      await showSignedIn(me);
      return;
    } catch (error) {
      // 401: signed out elsewhere, idle, or the end of a shared computer's day; the page offers a code.
      if (!(error instanceof HubRequestError && error.status === 401)) throw error;
      forgetCredential();
      $('[data-signed-out-note]').textContent =
        `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}. Any learning record is still in this browser: download it or erase it on the privacy page.`;
    }
  }
  status.textContent = '';
  await showSignedOut();
}

async function showSignedIn(me: Me): Promise<void> {
  $('[data-who]').textContent =
    `This browser is signed in as ${me.learner.name}, staff of ${me.learner.organisation}. ` +
    (me.learner.status === 'confirmed' ? 'Your workforce lead has confirmed you.' : 'Your workforce lead has not confirmed you yet.');

  $('[data-action="show-code"]').addEventListener('click', () => {
    hubRequest<{ code: string; expires: string }>('/device-code', { json: {} })
      .then(async ({ code, expires }) => {
        const { qrSvg } = await import('../../lib/qr/index.ts');
        const shown = `${code.slice(0, 4)}-${code.slice(4)}`;
        $('[data-code]').textContent = shown;
        const until = new Intl.DateTimeFormat('en-GB', { timeZone: councilTimeZone(), hour: 'numeric', minute: '2-digit', hour12: true }).format(
          new Date(expires),
        );
        $('[data-code-expiry]').textContent = `It works once, until ${until.replace(' ', '')}. Anyone with this code can sign in as you, so do not share it.`;
        $('[data-code-qr]').innerHTML = qrSvg(`${location.origin}/devices/#code=${code}`, `QR code that opens this page with the code ${shown} filled in`);
        $('[data-code-panel]').hidden = false;
      })
      .catch((error: unknown) => {
        $('[data-devices-result]').textContent = whatFailed('Getting a code', error);
      });
  });

  $('[data-action="export"]').addEventListener('click', () => {
    hubRequest<unknown>('/me/export')
      .then((data) => downloadFile(JSON.stringify(data, null, 2), `hub-record-${new Date().toISOString().slice(0, 10)}.json`, 'application/json'))
      .catch((error: unknown) => {
        $('[data-devices-result]').textContent = whatFailed('Downloading what the hub holds', error);
      });
  });

  const confirm = $('[data-sign-out-confirm]');
  $('[data-action="sign-out"]').addEventListener('click', () => {
    confirm.hidden = false;
    $('#sign-out-confirm-heading').focus();
  });
  $('[data-action="sign-out-cancel"]').addEventListener('click', () => {
    confirm.hidden = true;
    $('[data-action="sign-out"]').focus();
  });
  const result = $('[data-devices-result]');
  const unsent = $('[data-sign-out-unsent]');
  const finish = (outcome: 'revoked' | 'not-reached') => {
    $('[data-signed-in]').hidden = true;
    unsent.hidden = true;
    result.textContent =
      outcome === 'revoked'
        ? 'This computer is signed out, and your learning record has been erased from this browser.'
        : 'Your learning record has been erased from this browser, but the hub could not be reached to sign this computer out. Sign it out from the “Your devices” page on another device.';
  };
  const signOutNow = () =>
    signOutOfThisComputer()
      .then(finish)
      .catch((error: unknown) => {
        result.textContent = whatFailed('Signing out', error) + ' Nothing has been erased.';
      });
  $('[data-action="sign-out-confirmed"]').addEventListener('click', () => {
    result.textContent = 'Sending your learning to the council’s record first…';
    sendWaiting()
      .then(async (waiting) => {
        if (waiting === 0) return signOutNow();
        // Offline or the hub down: signing out now would lose learning the hub does not have.
        confirm.hidden = true;
        result.textContent = '';
        $('[data-unsent-count]').textContent =
          `${waiting} item${waiting === 1 ? '' : 's'} of your learning ${waiting === 1 ? 'has' : 'have'} not reached the council’s record, because the hub cannot be reached. If you sign out now, ${waiting === 1 ? 'it is' : 'they are'} lost.`;
        unsent.hidden = false;
        $('#sign-out-unsent-heading').focus();
      })
      .catch((error: unknown) => {
        result.textContent = whatFailed('Signing out', error) + ' Nothing has been erased.';
      });
  });
  $('[data-action="sign-out-keep"]').addEventListener('click', () => {
    unsent.hidden = true;
    result.textContent = 'You are still signed in. Your learning will be sent when the hub can be reached; then sign out.';
    $('[data-action="sign-out"]').focus();
  });
  $('[data-action="sign-out-download"]').addEventListener('click', () => {
    learnerRecord()
      .then(async (learner) => {
        const fileName = await downloadMyRecord(learner);
        await signOutNow();
        result.textContent += ` Your record was saved as ${fileName}. Delete that file from this computer (and empty the recycle bin) before you leave: anyone who uses this computer after you could open it.`;
      })
      .catch((error: unknown) => {
        result.textContent = whatFailed('Downloading your record', error) + ' Nothing has been erased.';
      });
  });
  // Shown only once every button works, so a quick click is never lost.
  $('[data-signed-in]').hidden = false;
  if (location.hash === '#sign-out') $('[data-action="sign-out"]').click();
  await listDevices();
}

/** Sends what is waiting in this browser to the hub; returns how many items are still waiting. */
async function sendWaiting(): Promise<number> {
  const { startSync } = await import('../../browser/hub-sync.ts');
  const sync = await startSync();
  return sync ? sync.flush() : 0;
}

async function listDevices(): Promise<void> {
  const { devices } = await hubRequest<{ devices: DeviceSummary[] }>('/me/devices');
  const zone = councilTimeZone();
  const rows = devices.map((device) => {
    const row = document.createElement('tr');
    const name = device.label || 'A device with no name';
    for (const text of [
      device.current ? `${name} (this device)` : name,
      formatDate(device.created, zone),
      formatDate(device.lastUsed, zone),
      device.shared ? 'Yes' : 'No',
    ]) {
      row.append(Object.assign(document.createElement('td'), { textContent: text }));
    }
    const action = document.createElement('td');
    if (!device.current) {
      const button = Object.assign(document.createElement('button'), { type: 'button', className: 'button button--secondary', textContent: 'Sign out' });
      button.append(Object.assign(document.createElement('span'), { className: 'visually-hidden', textContent: ` ${name}` }));
      button.addEventListener('click', () => {
        hubRequest(`/me/devices/${device.id}`, { method: 'DELETE' })
          .then(async () => {
            $('[data-device-result]').textContent = `${name} is signed out.`;
            await listDevices();
          })
          .catch((error: unknown) => {
            $('[data-device-result]').textContent = whatFailed(`Signing out ${name}`, error);
          });
      });
      action.append(button);
    }
    row.append(action);
    return row;
  });
  $('[data-device-rows]').replaceChildren(...rows);
}

async function showSignedOut(): Promise<void> {
  const codeInput = $<HTMLInputElement>('#redeem-code');
  const fromQr = /(?:^#|&)code=([0-9A-Za-z-]{8,12})/.exec(location.hash)?.[1];
  if (fromQr) {
    codeInput.value = fromQr;
    history.replaceState(null, '', location.pathname);
  }
  const local = await localLearning();
  if (local.statements > 0) {
    $('[data-local-summary]').textContent = local.summary;
    $('[data-local-learning]').hidden = false;
  }
  const form = $<HTMLFormElement>('[data-redeem]');
  const problems = { summary: $('[data-error-summary]'), list: $('[data-error-list]'), prefix: 'redeem', fields: ['code', 'mine', 'deviceLabel'] };
  let sending = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (sending) return;
    const data = new FormData(form);
    const code = textOf(data, 'code').trim();
    const mine = data.get('mine');
    const found: { field: string; reason: string }[] = [];
    if (!code) found.push({ field: 'code', reason: 'Enter the code shown on your other device' });
    if (local.statements > 0 && mine === null) found.push({ field: 'mine', reason: 'Say whether the learning in this browser is yours' });
    showFormProblems(problems, found);
    if (found.length > 0) return;
    if (local.statements > 0 && mine === 'no') {
      $('[data-not-mine]').hidden = false;
      return;
    }
    sending = true;
    hubRequest<SignedIn>('/device-code/redeem', {
      json: { code, shared: data.get('shared') === 'on', deviceLabel: textOf(data, 'deviceLabel') },
      signedIn: false,
    })
      .then(async (signed) => {
        await takeUpAccount(signed, mine === 'yes');
        $('[data-signed-out]').hidden = true;
        $('[data-devices-result]').textContent = `This browser is now signed in as ${signed.learner.name}.`;
        const me = await hubRequest<Me>('/me');
        await showSignedIn(me);
      })
      .catch((error: unknown) => {
        showFormProblems(problems, [problemOf(error, problems.fields, 'Continuing on this device did not work. Check your connection, then try again.')]);
      })
      .finally(() => {
        sending = false;
      });
  });
  // Shown only once the form is handled, so a code entered quickly is never lost.
  $('[data-signed-out]').hidden = false;
}
