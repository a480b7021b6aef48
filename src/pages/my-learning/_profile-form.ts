/** My learning's "About you" form: showing it filled in, its error summary, and saving the profile. */
import { createProfile, ProfileError, type Profile, type ProfileInput } from '../../lib/profile/index.ts';
import { $, make } from './_page.ts';

const fields = ['name', 'organisation', 'roleId', 'district', 'email'] as const;

/** The form's values, from the profile or the role chosen on a role page. */
export function fillForm(profile: Profile | undefined, chosenRole: string | undefined): void {
  const form = $<HTMLFormElement>('[data-profile]');
  const values: Record<(typeof fields)[number], string> = {
    name: profile?.name ?? '',
    organisation: profile?.organisation ?? '',
    roleId: chosenRole ?? profile?.roleId ?? '',
    district: profile?.district ?? '',
    email: profile?.email ?? '',
  };
  for (const [name, value] of Object.entries(values)) {
    const field = form.elements.namedItem(name);
    if (field instanceof HTMLInputElement || field instanceof HTMLSelectElement) field.value = value;
  }
}

/**
 * The profile the form describes, keeping the learner's actor (and the hub
 * that made the account, if one did) so earlier
 * statements stay theirs; undefined, with the errors shown, when it is not valid.
 */
export function profileFromForm(actorId: string | undefined, accountHomePage?: string): Profile | undefined {
  const data = new FormData($<HTMLFormElement>('[data-profile]'));
  const text = (name: string) => {
    const value = data.get(name);
    return typeof value === 'string' ? value : '';
  };
  const input: ProfileInput = {
    name: text('name'),
    organisation: text('organisation'),
    roleId: text('roleId'),
    district: text('district'),
    email: text('email'),
    ...(actorId ? { actorId } : {}),
    // An account made by a hub stays on that hub.
    ...(accountHomePage ? { accountHomePage } : {}),
  };
  try {
    const profile = createProfile(input);
    showFormErrors([]);
    return profile;
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
    showFormErrors(
      error.problems.map((problem) => ({ field: problem.field, reason: problem.field === 'roleId' ? 'Choose your role' : capitalise(problem.reason) })),
    );
    return undefined;
  }
}

/** Marks each field with its problem and lists them in the error summary, which takes focus (GOV.UK pattern). */
function showFormErrors(problems: { field: string; reason: string }[]): void {
  const list = $('[data-error-list]');
  list.replaceChildren();
  for (const field of fields) {
    const problem = problems.find((candidate) => candidate.field === field);
    const message = $(`#profile-${field}-error`);
    message.hidden = !problem;
    message.textContent = problem ? problem.reason : '';
    if (problem) message.prepend(make('span', { className: 'visually-hidden', textContent: 'Error: ' }));
    message.closest('.form-group')?.classList.toggle('form-group--error', Boolean(problem));
    const input = $(`#profile-${field}`);
    if (problem) {
      input.setAttribute('aria-invalid', 'true');
      const item = make('li');
      item.append(make('a', { href: `#profile-${field}`, textContent: problem.reason }));
      list.append(item);
    } else input.removeAttribute('aria-invalid');
  }
  const summary = $('[data-error-summary]');
  summary.hidden = problems.length === 0;
  if (problems.length > 0) summary.focus();
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
