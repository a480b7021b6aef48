/**
 * My learning's view of derived progress: who the learner is, what needs
 * renewing, the box at the top (what to do next, or the certificate once the
 * plan is complete) and the plan in two groups, required and recommended.
 * Each part is drawn from the progress alone; nothing is kept here.
 */
import { describeItem, formatDate, statusLabel } from '../../browser/status-words.ts';
import { roleCertificateReady } from '../../lib/certificate/from-progress.ts';
import type { CourseFacts } from '../../lib/content/facts.ts';
import { itemKindName, itemPath } from '../../lib/plan/index.ts';
import type { Profile } from '../../lib/profile/index.ts';
import { countsAsValid, type ItemProgress, type LearnerProgress } from '../../lib/progress/index.ts';
import { $, make } from './_page.ts';

const hrefOf = (item: ItemProgress): string => itemPath(item.item);

const kindOf = (item: ItemProgress) => itemKindName(item.item.kind).toLowerCase();

/** The learner's details, as a summary list. */
export function renderSummary(profile: Profile, progress: LearnerProgress, course: CourseFacts): void {
  const rows: [string, string][] = [
    ['Name', profile.name],
    ['Organisation', profile.organisation],
    ['Role', progress.plan.role.name],
    ['Level', `Level ${progress.plan.level.id}: ${progress.plan.level.name}`],
  ];
  const district = course.districts.find((candidate) => candidate.id === profile.district);
  if (district) rows.push(['Area', district.name]);
  if (profile.email) rows.push(['Email', profile.email]);
  $('[data-profile-summary]').replaceChildren(
    ...rows.map(([term, value]) => {
      const row = make('div');
      row.append(make('dt', { textContent: term }), make('dd', { textContent: value }));
      return row;
    }),
  );
}

/** The banner listing required items due for renewal or expired. */
export function renderRenewals(progress: LearnerProgress): void {
  const attention = progress.items.filter((item) => item.item.required && (item.status === 'due' || item.status === 'expired'));
  $('[data-renewal-banner]').hidden = attention.length === 0;
  $('[data-renewal-title]').textContent = attention.some((item) => item.status === 'expired')
    ? 'Some of your learning has expired'
    : 'Some of your learning is due for renewal';
  $('[data-renewal-list]').replaceChildren(
    ...attention.map((item) => {
      const entry = make('li');
      const when = item.renewalDate ? formatDate(item.renewalDate) : '';
      entry.append(
        make('a', { href: hrefOf(item), textContent: item.item.title }),
        item.status === 'expired' ? `: expired on ${when}. Please take it again.` : `: renew by ${when}.`,
      );
      return entry;
    }),
  );
}

/**
 * The box at the top. Once every required item is done it says the plan is
 * complete and offers the certificate; until then, the item to continue or the
 * next one to start.
 */
export function renderTopBox(progress: LearnerProgress): void {
  const ready = roleCertificateReady(progress);
  $('[data-certificate-ready]').hidden = !ready;
  $('[data-certificate-not-ready]').hidden = ready;
  if (ready) {
    $('[data-continue]').hidden = true;
    $('[data-certificate-text]').textContent =
      `You have completed every required item for ${progress.plan.role.name}.` +
      (progress.validUntil ? ` Your certificate is valid until ${formatDate(progress.validUntil)}.` : '');
    return;
  }
  const last = progress.lastActivity ? progress.items.find((item) => item.item.id === progress.lastActivity?.itemId) : undefined;
  const resume = last?.status === 'in-progress' ? last : undefined;
  const target = resume ?? progress.next;
  $('[data-continue]').hidden = !target;
  if (!target) return;
  $('[data-continue-title]').textContent = resume ? 'Continue where you left off' : 'Next in your plan';
  $('[data-continue-text]').textContent = `${target.item.title} (${kindOf(target)}, about ${target.item.minutes} minutes).`;
  const link = $<HTMLAnchorElement>('[data-continue-link]');
  link.href = hrefOf(target);
  const renewing = target.status === 'due' || target.status === 'expired';
  link.textContent = `${resume ? 'Continue' : renewing ? 'Renew' : 'Start'} ${target.item.title}`;
}

/** The plan: required items, then recommended ones, each with its status and, for a passed module, its certificate. */
export function renderPlan(progress: LearnerProgress, onModuleCertificate: (moduleId: string) => void): void {
  const required = progress.items.filter((item) => item.item.required);
  const recommended = progress.items.filter((item) => !item.item.required);
  const done = required.filter((item) => countsAsValid(item.status)).length;
  $('[data-plan-heading]').textContent = `Your learning plan: ${progress.plan.role.name}`;
  showWebinarsFor(progress.plan.role.id);
  $('[data-role-status]').textContent = `You have completed ${done} of ${required.length} required items.`;
  const row = (item: ItemProgress) => planRow(item, onModuleCertificate);
  $('[data-plan-required]').replaceChildren(...required.map(row));
  $('[data-plan-recommended]').replaceChildren(...recommended.map(row));
  $('[data-plan-recommended-group]').hidden = recommended.length === 0;
}

function planRow(item: ItemProgress, onModuleCertificate: (moduleId: string) => void): HTMLLIElement {
  const row = make('li');
  row.dataset['item'] = item.item.id;
  const text = make('div');
  const heading = make('h4');
  heading.append(make('a', { href: hrefOf(item), textContent: item.item.title }));
  // The group's heading already says whether it is required, as on the role page.
  const kind = `${item.item.kind === 'module' ? 'Lesson and quiz' : 'Film clip'}, about ${item.item.minutes} minutes.`;
  text.append(heading, make('p', { textContent: `${kind} ${describeItem(item).detail}`.trim() }));
  const side = make('div');
  side.append(make('strong', { className: `tag tag--${item.status}`, textContent: statusLabel(item.status) }));
  if (item.item.kind === 'module' && countsAsValid(item.status)) {
    const button = make('button', { type: 'button', className: 'button button--secondary plan-certificate', textContent: 'Module certificate' });
    button.setAttribute('aria-label', `Download module certificate for ${item.item.title}`);
    button.addEventListener('click', () => onModuleCertificate(item.item.id));
    side.append(make('br'), button);
  }
  row.append(text, side);
  return row;
}

/** Upcoming webinars on this page are for every role until the learner's role is known: then only theirs show. */
function showWebinarsFor(roleId: string): void {
  const webinars = [...document.querySelectorAll<HTMLElement>('[data-upcoming-webinar][data-audience]')];
  for (const webinar of webinars) webinar.dataset['forRole'] = String((webinar.dataset['audience'] ?? '').split(' ').includes(roleId));
  const section = document.querySelector<HTMLElement>('.upcoming-webinars');
  if (section) section.dataset['forRole'] = String(webinars.some((webinar) => webinar.dataset['forRole'] === 'true'));
}
