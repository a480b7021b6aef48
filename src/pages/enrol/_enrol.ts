/**
 * The enrolment page: reads the link's token from the address's fragment (never
 * sent to any server's logs), asks the hub whose link it is, and signs the
 * learner up. Learning already in this browser moves to the new account only
 * when the learner says it is theirs.
 */
import { findHub } from '../../browser/hub.ts';
import { HubRequestError, hubRequest, localLearning, problemOf, takeUpAccount, type SignedIn } from '../../browser/hub-account.ts';
import { showFormProblems } from '../../browser/form-errors.ts';

/** A text field of the form, '' when absent. */
const textOf = (data: FormData, name: string): string => {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
};

const $ = <T extends HTMLElement = HTMLElement>(selector: string) => {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`The enrolment page is missing ${selector}`);
  return element;
};

const show = (selector: string, focus?: string) => {
  $(selector).hidden = false;
  if (focus) $(focus).focus();
};

/**
 * The link's token. Links carry it after # (`/enrol/#TOKEN`) so it never reaches a
 * server's logs; `#token=TOKEN` and `?token=TOKEN` are read too, and the query
 * form is taken out of the address at once.
 */
function tokenInAddress(): string {
  const fromQuery = new URLSearchParams(location.search).get('token');
  if (fromQuery) {
    history.replaceState(null, '', `${location.pathname}#${fromQuery}`);
    return fromQuery;
  }
  const hash = location.hash.replace(/^#/, '');
  return decodeURIComponent(new URLSearchParams(hash).get('token') ?? hash);
}

export function startEnrolment(): void {
  run().catch((failure: unknown) => {
    console.error(failure);
    $('[data-enrol-status]').textContent = 'Something went wrong on this page. Reload it and try again.';
  });
}

async function run(): Promise<void> {
  const status = $('[data-enrol-status]');
  const token = tokenInAddress();
  if (!(await findHub())) {
    status.textContent = '';
    show('[data-no-hub]');
    return;
  }
  const refuse = (message: string) => {
    status.textContent = '';
    $('[data-link-problem-text]').textContent = message;
    show('[data-link-problem]', '#link-problem-heading');
  };
  if (!token) {
    refuse('This page needs the whole link your workforce lead gave you. Open the link again, or copy all of it into the address bar.');
    return;
  }
  let organisation: string;
  try {
    ({ organisation } = await hubRequest<{ organisation: string }>('/enrol/check', { json: { token }, signedIn: false }));
  } catch (error) {
    if (error instanceof HubRequestError) return refuse(problemOf(error, [], '').reason);
    throw error;
  }
  status.textContent = '';
  $('[data-organisation]').textContent = organisation;
  const local = await localLearning();
  if (local.statements > 0) {
    $('[data-local-summary]').textContent = local.summary;
    $('[data-local-learning]').hidden = false;
  }
  const nameInput = $<HTMLInputElement>('#enrol-name');
  if (local.name) nameInput.value = local.name;
  const form = $<HTMLFormElement>('[data-enrol]');
  form.hidden = false;

  const problems = { summary: $('[data-error-summary]'), list: $('[data-error-list]'), prefix: 'enrol', fields: ['name', 'roleId', 'mine', 'deviceLabel'] };
  let sending = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (sending) return;
    const data = new FormData(form);
    const name = textOf(data, 'name').trim();
    const roleId = textOf(data, 'roleId');
    const mine = data.get('mine');
    const found: { field: string; reason: string }[] = [];
    if (!name) found.push({ field: 'name', reason: 'Enter your name' });
    if (!roleId) found.push({ field: 'roleId', reason: 'Choose your role' });
    if (local.statements > 0 && mine === null) found.push({ field: 'mine', reason: 'Say whether the learning in this browser is yours' });
    showFormProblems(problems, found);
    if (found.length > 0) return;
    if (local.statements > 0 && mine === 'no') {
      form.hidden = true;
      show('[data-not-mine]', '#not-mine-heading');
      return;
    }
    sending = true;
    status.textContent = 'Signing you up…';
    const request = { token, name, roleId, shared: data.get('shared') === 'on', deviceLabel: textOf(data, 'deviceLabel') };
    hubRequest<SignedIn>('/enrol', { json: request, signedIn: false })
      .then(async (signed) => {
        // The link has done its job: it leaves the address bar and the history.
        history.replaceState(null, '', location.pathname);
        const { moved, sent } = await takeUpAccount(signed, mine === 'yes');
        form.hidden = true;
        status.textContent = '';
        $('[data-done-organisation]').textContent = signed.learner.organisation;
        $('[data-done-text]').textContent =
          `You are signed up as ${signed.learner.name}.` +
          (moved > 0
            ? ` The learning already in this browser (${moved} thing${moved === 1 ? '' : 's'} done) is now in your account${sent ? ' on the hub' : '. It has not reached the hub yet and is kept safe in this browser'}.`
            : '') +
          (signed.device.shared ? ' As this is a shared computer, it will be signed out at midnight.' : '');
        show('[data-done]', '#done-heading');
      })
      .catch((error: unknown) => {
        status.textContent = '';
        showFormProblems(problems, [problemOf(error, problems.fields, 'Signing up did not work in this browser. Check your connection, then try again.')]);
      })
      .finally(() => {
        sending = false;
      });
  });
}
