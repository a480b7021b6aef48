/**
 * My learning: the profile form, the plan with derived statuses, renewal
 * reminders, the certificate and "send my record to my lead". Everything shown
 * is derived from the record each time it changes; nothing is kept here.
 */
import { learnerRecord, readCourseFacts, type Learner } from '../../browser/learner.ts';
import { downloadMyRecord } from '../../browser/record-download.ts';
import { CourseFactsError, type CourseFacts } from '../../lib/content/facts.ts';
import type { Profile } from '../../lib/profile/index.ts';
import { deriveProgress, type LearnerProgress } from '../../lib/progress/index.ts';
import { downloadCalendar, downloadCertificate } from './_certificate.ts';
import { $ } from './_page.ts';
import { fillForm, profileFromForm } from './_profile-form.ts';
import { renderPlan, renderRenewals, renderSummary, renderTopBox } from './_plan-view.ts';

/** What the page shows now: the learner's profile and the progress derived for it. */
interface Shown {
  profile: Profile | undefined;
  progress: LearnerProgress | undefined;
}

/** Opens the record and wires the page up. @throws CourseFactsError, or whatever kept the record from opening: see `showStartFailure` */
export async function startMyLearning(): Promise<void> {
  const course = readCourseFacts();
  if (!course) throw new CourseFactsError('fh-course', 'is missing');
  const learner = await learnerRecord();
  const { store } = learner.record;
  const shown: Shown = { profile: await store.getProfile(), progress: undefined };
  // A role page's "Make this my plan" link names the role the learner chose there.
  const linkedRole = new URLSearchParams(location.search).get('role');
  const chosenRole = linkedRole && course.matrix.roles.some((role) => role.id === linkedRole) ? linkedRole : undefined;

  const render = () => renderLearning(learner, course, shown);
  wireProfileForm(learner, shown, render);
  wireDownloads(learner, course, shown);
  store.subscribe(() => void refresh(learner, shown, render).catch(showFailureAfterStart));

  $('[data-loading]').hidden = true;
  if (!shown.profile) showForm(shown.profile, chosenRole, false);
  else if (chosenRole && chosenRole !== shown.profile.roleId) {
    // They came from another role's plan: offer the change, with their other details kept.
    await render();
    showForm(shown.profile, chosenRole, true);
  } else {
    await render();
    $('[data-learning]').hidden = false;
  }
}

/** Derives progress from the whole record and draws every part of the plan. */
async function renderLearning(learner: Learner, course: CourseFacts, shown: Shown): Promise<void> {
  const { profile } = shown;
  if (!profile) return;
  const progress = deriveProgress({
    statements: await learner.record.store.all(),
    matrix: course.matrix,
    catalogue: course.catalogue,
    roleId: profile.roleId,
    siteUrl: learner.siteUrl,
    now: new Date(),
  });
  shown.progress = progress;
  renderSummary(profile, progress, course);
  renderRenewals(progress);
  renderTopBox(progress);
  renderPlan(progress, (moduleId) => void downloadCertificate(learner, profile, progress, 'module', moduleId));
}

/** The record changed, here or in another tab. */
async function refresh(learner: Learner, shown: Shown, render: () => Promise<void>): Promise<void> {
  const latest = await learner.record.store.getProfile();
  // Erased (here or in another tab): the plan was someone's; start again from the form.
  if (!latest && shown.profile) {
    shown.profile = undefined;
    shown.progress = undefined;
    showForm(undefined, undefined, false);
    return;
  }
  if (latest) shown.profile = latest;
  if (shown.profile && $('[data-profile-form]').hidden) await render();
}

function showForm(profile: Profile | undefined, chosenRole: string | undefined, editing: boolean): void {
  fillForm(profile, chosenRole);
  $('[data-action="cancel-profile"]').hidden = !editing;
  $('[data-profile-form]').hidden = false;
  $('[data-learning]').hidden = true;
  if (editing) $<HTMLInputElement>('#profile-name').focus();
}

function wireProfileForm(learner: Learner, shown: Shown, render: () => Promise<void>): void {
  $<HTMLFormElement>('[data-profile]').addEventListener('submit', (event) => {
    event.preventDefault();
    void saveProfile().catch(showFailureAfterStart);
  });
  $('[data-action="cancel-profile"]').addEventListener('click', () => {
    $('[data-profile-form]').hidden = true;
    $('[data-learning]').hidden = false;
    $('[data-action="change-profile"]').focus();
  });
  $('[data-action="change-profile"]').addEventListener('click', () => showForm(shown.profile, undefined, true));

  async function saveProfile() {
    // The same actor before and after: earlier statements stay this learner's.
    const saved = profileFromForm(shown.profile?.actorId ?? learner.actor().account?.name, shown.profile?.accountHomePage);
    if (!saved) return;
    await learner.record.store.saveProfile(saved);
    shown.profile = saved;
    $('[data-profile-form]').hidden = true;
    await render();
    $('[data-learning]').hidden = false;
    const heading = $('[data-plan-heading]');
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

function wireDownloads(learner: Learner, course: CourseFacts, shown: Shown): void {
  const withPlan = (action: (profile: Profile, progress: LearnerProgress) => Promise<void>) => () => {
    const { profile, progress } = shown;
    if (profile && progress) void action(profile, progress);
  };
  $('[data-action="role-certificate"]').addEventListener(
    'click',
    withPlan((profile, progress) => downloadCertificate(learner, profile, progress, 'role')),
  );
  $('[data-action="calendar"]').addEventListener(
    'click',
    withPlan((profile, progress) =>
      downloadCalendar(learner, profile, progress, course).catch((failure: unknown) => {
        console.error(failure);
        $('[data-certificate-status]').textContent = 'The calendar file could not be made. Reload the page and try again.';
      }),
    ),
  );
  // The record as the lead should see it: the email stays with the learner.
  $('[data-action="send-record"]').addEventListener('click', () => {
    downloadMyRecord(learner, { forLead: true }).catch((failure: unknown) => {
      console.error(failure);
      $('[data-send-record-status]').textContent = 'Your record could not be downloaded. Reload the page and try again, or use another browser.';
    });
  });
}

/**
 * My learning could not start: the loading line gives way to what happened and
 * what to do, instead of "Loading…" for ever. The cause goes to the console.
 */
export function showStartFailure(failure: unknown): void {
  console.error(failure);
  const loading = document.querySelector<HTMLElement>('[data-loading]');
  if (loading) loading.hidden = true;
  const box = document.querySelector<HTMLElement>('[data-start-failed]');
  const text = document.querySelector<HTMLElement>('[data-start-failed-text]');
  if (!box || !text) return;
  text.textContent =
    failure instanceof CourseFactsError
      ? failure.message
      : 'This page could not open your learning record. What you have already done is still kept in this browser. Reload the page to try again. If it keeps happening, use another browser, or tell the council’s learning team.';
  box.hidden = false;
}

/** Something failed after the page started: said in the same box, above what is shown. */
function showFailureAfterStart(failure: unknown): void {
  showStartFailure(failure);
  $('[data-start-failed]').scrollIntoView({ block: 'nearest' });
}
