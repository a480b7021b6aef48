/**
 * My learning: the profile form, the plan with derived statuses, renewal
 * reminders, the certificate and "send my record to my lead". Everything shown
 * is derived from the record each time it changes; nothing is kept here.
 */
import { downloadFile } from '../../browser/download.ts';
import { learnerRecord, readCourseFacts } from '../../browser/learner.ts';
import type { CourseFacts } from '../../lib/content/facts.ts';
import { createProfile, ProfileError, type Profile } from '../../lib/profile/index.ts';
import { deriveProgress, type ItemProgress, type LearnerProgress } from '../../lib/progress/index.ts';
import { roleCertificateReady } from '../../lib/certificate/from-progress.ts';
import { certificateEarned } from '../../lib/xapi/index.ts';
import { councilTimeZone, describeItem, formatDate, statusLabel } from '../../browser/status-words.ts';

const $ = <T extends Element = HTMLElement>(selector: string) => {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`My learning page is missing ${selector}`);
  return element;
};

/** Wires the page up once the record is open. */
export async function startMyLearning(): Promise<void> {
  const facts = readCourseFacts();
  if (!facts) throw new Error('My learning needs the course facts embedded by CourseData.astro');
  const course: CourseFacts = facts;
  const learner = await learnerRecord();
  const { store } = learner.record;
  const profileSection = $('[data-profile-form]');
  const learningSection = $('[data-learning]');
  const form = $<HTMLFormElement>('[data-profile]');
  let profile = await store.getProfile();
  let progress: LearnerProgress | undefined;
  let statementsCache: Awaited<ReturnType<typeof store.all>> = [];

  $('[data-action="send-record"]').addEventListener('click', () => void downloadRecordForLead());

  /** The record as the lead should see it: the email stays with the learner. */
  async function downloadRecordForLead() {
    const file = await store.exportRecord({ siteUrl: learner.siteUrl });
    const { recordFileNameOf } = await import('../../lib/record/index.ts');
    const profile = file.profile ? { ...file.profile, email: undefined } : null;
    downloadFile(JSON.stringify({ ...file, profile }, null, 2), recordFileNameOf(new Date(), councilTimeZone()), 'application/json');
  }

  // A role page's "Make this my plan" link names the role the learner chose there.
  const linkedRole = new URLSearchParams(location.search).get('role');
  let chosenRole = linkedRole && course.matrix.roles.some((candidate) => candidate.id === linkedRole) ? linkedRole : undefined;

  const showForm = (editing: boolean) => {
    const values: Record<string, string> = {
      name: profile?.name ?? '',
      organisation: profile?.organisation ?? '',
      roleId: chosenRole ?? profile?.roleId ?? '',
      district: profile?.district ?? '',
      email: profile?.email ?? '',
    };
    for (const [name, value] of Object.entries(values)) {
      const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
      if (field) field.value = value;
    }
    $('[data-action="cancel-profile"]').hidden = !editing;
    profileSection.hidden = false;
    learningSection.hidden = true;
    if (editing) $<HTMLInputElement>('#profile-name').focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void saveProfile();
  });
  $('[data-action="cancel-profile"]').addEventListener('click', () => {
    profileSection.hidden = true;
    learningSection.hidden = false;
    $('[data-action="change-profile"]').focus();
  });
  $('[data-action="change-profile"]').addEventListener('click', () => showForm(true));

  async function saveProfile() {
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    try {
      const saved = createProfile({
        name: data['name'] ?? '',
        organisation: data['organisation'] ?? '',
        roleId: data['roleId'] ?? '',
        district: data['district'],
        email: data['email'],
        // The same actor before and after: earlier statements stay this learner's.
        actorId: profile?.actorId ?? learner.actor().account?.name,
      });
      showFormErrors([]);
      await store.saveProfile(saved);
      profile = saved;
      profileSection.hidden = true;
      await render();
      learningSection.hidden = false;
      $('[data-plan-heading]').setAttribute('tabindex', '-1');
      $('[data-plan-heading]').focus();
    } catch (error) {
      if (!(error instanceof ProfileError)) throw error;
      showFormErrors(
        error.problems.map((problem) => ({ field: problem.field, reason: problem.field === 'roleId' ? 'Choose your role' : capitalise(problem.reason) })),
      );
    }
  }

  function showFormErrors(problems: { field: string; reason: string }[]) {
    const summary = $('[data-error-summary]');
    const list = $('[data-error-list]');
    list.replaceChildren();
    for (const field of ['name', 'organisation', 'roleId', 'district', 'email']) {
      const problem = problems.find((candidate) => candidate.field === field);
      const message = $(`#profile-${field}-error`);
      message.hidden = !problem;
      message.textContent = problem ? problem.reason : '';
      if (problem) message.prepend(Object.assign(document.createElement('span'), { className: 'visually-hidden', textContent: 'Error: ' }));
      message.closest('.form-group')?.classList.toggle('form-group--error', Boolean(problem));
      const input = $(`#profile-${field}`);
      if (problem) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      if (problem) {
        const link = Object.assign(document.createElement('a'), { href: `#profile-${field}`, textContent: problem.reason });
        const item = document.createElement('li');
        item.append(link);
        list.append(item);
      }
    }
    summary.hidden = problems.length === 0;
    if (problems.length > 0) summary.focus();
  }

  async function render() {
    if (!profile) return;
    statementsCache = await store.all();
    progress = deriveProgress({
      statements: statementsCache,
      matrix: course.matrix,
      catalogue: course.catalogue,
      roleId: profile.roleId,
      siteUrl: learner.siteUrl,
      now: new Date(),
    });
    renderSummary(profile, progress);
    renderRenewals(progress);
    renderContinue(progress);
    renderPlan(progress);
    renderCertificate(progress);
  }

  function renderSummary(current: Profile, currentProgress: LearnerProgress) {
    const rows: [string, string][] = [
      ['Name', current.name],
      ['Organisation', current.organisation],
      ['Role', currentProgress.plan.role.name],
      ['Level', `Level ${currentProgress.plan.tier.id}: ${currentProgress.plan.tier.name}`],
    ];
    const district = course.districts.find((candidate) => candidate.id === current.district);
    if (district) rows.push(['Area', district.name]);
    if (current.email) rows.push(['Email', current.email]);
    $('[data-profile-summary]').replaceChildren(
      ...rows.map(([term, value]) => {
        const row = document.createElement('div');
        row.append(Object.assign(document.createElement('dt'), { textContent: term }), Object.assign(document.createElement('dd'), { textContent: value }));
        return row;
      }),
    );
  }

  function renderRenewals(current: LearnerProgress) {
    const attention = current.items.filter((item) => item.item.required && (item.status === 'due' || item.status === 'expired'));
    const banner = $('[data-renewal-banner]');
    banner.hidden = attention.length === 0;
    $('[data-renewal-title]').textContent = attention.some((item) => item.status === 'expired')
      ? 'Some of your learning has expired'
      : 'Some of your learning is due for renewal';
    $('[data-renewal-list]').replaceChildren(
      ...attention.map((item) => {
        const entry = document.createElement('li');
        const link = Object.assign(document.createElement('a'), { href: hrefOf(item), textContent: item.item.title });
        const when = item.renewalDate ? formatDate(item.renewalDate) : '';
        entry.append(link, item.status === 'expired' ? `: expired on ${when}. Please take it again.` : `: renew by ${when}.`);
        return entry;
      }),
    );
  }

  function renderContinue(current: LearnerProgress) {
    const panel = $('[data-continue]');
    const last = current.lastActivity ? current.items.find((item) => item.item.id === current.lastActivity?.itemId) : undefined;
    const resume = last && last.status === 'in-progress' ? last : undefined;
    const target = resume ?? current.next;
    panel.hidden = !target;
    if (!target) return;
    $('[data-continue-title]').textContent = resume ? 'Continue where you left off' : 'Next in your plan';
    $('[data-continue-text]').textContent =
      `${target.item.title} (${target.item.kind === 'module' ? 'lesson and quiz' : 'film clip'}, about ${target.item.minutes} minutes).`;
    const link = $<HTMLAnchorElement>('[data-continue-link]');
    link.href = hrefOf(target);
    const renewing = target.status === 'due' || target.status === 'expired';
    link.textContent = `${resume ? 'Continue' : renewing ? 'Renew' : 'Start'} ${target.item.title}`;
  }

  function renderPlan(current: LearnerProgress) {
    const required = current.items.filter((item) => item.item.required);
    const done = required.filter((item) => item.status === 'completed' || item.status === 'due').length;
    $('[data-plan-heading]').textContent = `Your learning plan: ${current.plan.role.name}`;
    $('[data-role-status]').textContent = `You have completed ${done} of ${required.length} required items.`;
    $('[data-plan-items]').replaceChildren(
      ...current.items.map((item) => {
        const row = document.createElement('li');
        row.dataset['item'] = item.item.id;
        const text = document.createElement('div');
        const heading = document.createElement('h3');
        heading.append(Object.assign(document.createElement('a'), { href: hrefOf(item), textContent: item.item.title }));
        const kind = `${item.item.required ? 'Required' : 'Recommended'} ${item.item.kind === 'module' ? 'lesson and quiz' : 'film clip'}, about ${item.item.minutes} minutes.`;
        text.append(heading, Object.assign(document.createElement('p'), { textContent: `${kind} ${describeItem(item).detail}`.trim() }));
        const side = document.createElement('div');
        side.append(Object.assign(document.createElement('strong'), { className: `tag tag--${item.status}`, textContent: statusLabel(item.status) }));
        if (item.item.kind === 'module' && (item.status === 'completed' || item.status === 'due')) {
          const button = Object.assign(document.createElement('button'), {
            type: 'button',
            className: 'button button--secondary',
            textContent: 'Module certificate',
          });
          button.setAttribute('aria-label', `Download module certificate for ${item.item.title}`);
          button.style.margin = '0.5rem 0 0';
          button.addEventListener('click', () => void issueCertificate('module', item.item.id));
          side.append(document.createElement('br'), button);
        }
        row.append(text, side);
        return row;
      }),
    );
  }

  function renderCertificate(current: LearnerProgress) {
    const ready = roleCertificateReady(current);
    $('[data-certificate-ready]').hidden = !ready;
    $('[data-certificate-not-ready]').hidden = ready;
    if (ready && current.validUntil) {
      $('[data-certificate-text]').textContent =
        `You have completed every required item for ${current.plan.role.name}. Your certificate is valid until ${formatDate(current.validUntil)}.`;
    }
  }

  $('[data-action="role-certificate"]').addEventListener('click', () => void issueCertificate('role'));
  $('[data-action="calendar"]').addEventListener('click', () => void downloadCalendar());

  async function issueCertificate(kind: 'role' | 'module', moduleId?: string) {
    if (!profile || !progress) return;
    const statusTarget = $(kind === 'role' ? '[data-certificate-status]' : '[data-module-certificate-status]');
    statusTarget.textContent = 'Making your certificate…';
    const [certificates, { loadFontFromSite }] = await Promise.all([
      import('../../lib/certificate/index.ts'),
      import('../../lib/certificate/browser-fonts.ts'),
    ]);
    const latinField = $('[data-latin-name]');
    const latinInput = $<HTMLInputElement>('#latin-name');
    const latinError = $('#latin-name-error');
    let latinName: string | undefined;
    if (certificates.needsLatinName(profile.name)) {
      latinField.hidden = false;
      latinName = latinInput.value.trim();
      const problem = !latinName
        ? 'Enter your name in the Latin alphabet, then choose Download again'
        : !certificates.canRender(latinName)
          ? 'Use only letters from the Latin alphabet'
          : '';
      latinError.hidden = !problem;
      latinError.textContent = problem;
      if (problem) {
        latinInput.setAttribute('aria-invalid', 'true');
        statusTarget.textContent = '';
        latinInput.focus();
        return;
      }
      latinInput.removeAttribute('aria-invalid');
    }
    try {
      const logoPng = course.logo?.endsWith('.png') ? new Uint8Array(await (await fetch(course.logo)).arrayBuffer()) : undefined;
      const input = certificates.certificateInputOf({
        kind,
        ...(moduleId ? { moduleId } : {}),
        progress,
        profile,
        statements: statementsCache,
        council: { name: course.council, siteUrl: learner.siteUrl, timeZone: course.timeZone, ...(logoPng ? { logoPng, logoAlt: course.council } : {}) },
        ...(latinName ? { latinName } : {}),
        certificateId: crypto.randomUUID(),
        now: new Date(),
      });
      const built = await certificates.buildCertificate(input, { loadFont: loadFontFromSite });
      downloadFile(built.bytes, built.fileName, 'application/pdf');
      const subject =
        kind === 'role' ? progress.plan.role : { id: moduleId ?? '', name: progress.items.find((item) => item.item.id === moduleId)?.item.title ?? '' };
      await store.append([
        certificateEarned({
          actor: learner.actor(),
          siteUrl: learner.siteUrl,
          certificate: {
            id: built.certificateId,
            roleId: progress.plan.role.id,
            roleName: kind === 'role' ? subject.name : `${progress.plan.role.name}: ${subject.name}`,
            matrixVersion: progress.plan.matrixVersion,
          },
        }),
      ]);
      statusTarget.textContent = `Your certificate has downloaded as ${built.fileName}. Its integrity code is ${built.integrityCode}.`;
    } catch (error) {
      statusTarget.textContent = `Sorry, the certificate could not be made: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  async function downloadCalendar() {
    if (!profile || !progress?.validUntil) return;
    const { renewalCalendar } = await import('../../lib/certificate/index.ts');
    const text = renewalCalendar({
      uid: `${profile.actorId}-${progress.plan.role.id}@${new URL(learner.siteUrl).host}`,
      renewalDate: progress.validUntil,
      timeZone: course.timeZone,
      summary: `Renew your ${progress.plan.role.name} family hub learning`,
      description: `Your ${course.council} family hub learning needs renewing. Open My learning to see what to retake.`,
      url: `${learner.siteUrl}/my-learning/`,
    });
    downloadFile(text, 'family-hub-learning-renewal.ics', 'text/calendar');
  }

  store.subscribe(() => {
    void (async () => {
      const latest = await store.getProfile();
      // Erased (here or in another tab): the plan was someone's; start again from the form.
      if (!latest && profile) {
        profile = undefined;
        progress = undefined;
        statementsCache = [];
        showForm(false);
        return;
      }
      if (latest) profile = latest;
      if (profile && profileSection.hidden) await render();
    })();
  });

  $('[data-loading]').hidden = true;
  if (!profile) showForm(false);
  else if (chosenRole && chosenRole !== profile.roleId) {
    // They came from another role's plan: offer the change, with their other details kept.
    await render();
    showForm(true);
  } else {
    await render();
    learningSection.hidden = false;
  }
  chosenRole = undefined;
}

const hrefOf = (item: ItemProgress) => `/${item.item.kind === 'module' ? 'modules' : 'films'}/${item.item.id}/`;
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
