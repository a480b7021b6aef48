/** My learning's certificate buttons: the name in Latin letters when needed, the download, and the renewal date for a calendar. */
import { certificateFailureInWords } from '../../browser/certificate.ts';
import { downloadFile } from '../../browser/download.ts';
import type { Learner } from '../../browser/learner.ts';
import type { CourseFacts } from '../../lib/content/facts.ts';
import type { Profile } from '../../lib/profile/index.ts';
import type { LearnerProgress } from '../../lib/progress/index.ts';
import { $ } from './_page.ts';

/**
 * Makes and downloads a role or module certificate, telling the learner in
 * `statusTarget` what happened. A name the certificate cannot print first
 * asks for the name in Latin letters, beside the button that was chosen.
 */
export async function downloadCertificate(
  learner: Learner,
  profile: Profile,
  progress: LearnerProgress,
  kind: 'role' | 'module',
  moduleId?: string,
): Promise<void> {
  const statusTarget = $(kind === 'role' ? '[data-certificate-status]' : '[data-module-certificate-status]');
  statusTarget.textContent = 'Making your certificate…';
  try {
    const latinName = await askLatinName(profile, statusTarget);
    if (latinName === false) return;
    const built = await learner.issueCertificate({ kind, progress, ...(moduleId ? { moduleId } : {}), ...(latinName ? { latinName } : {}) });
    downloadFile(built.bytes, built.fileName, 'application/pdf');
    const signing = built.signed
      ? ' It is recorded by the council’s learning record, which signed it.'
      : built.unsignedReason
        ? ` It is self-issued: ${built.unsignedReason}`
        : '';
    statusTarget.textContent = `Your certificate has downloaded as ${built.fileName}. Its integrity code is ${built.integrityCode}.${signing}`;
  } catch (failure) {
    statusTarget.textContent = await certificateFailureInWords(failure);
  }
}

/**
 * The name in Latin letters, when the learner's own cannot be printed: undefined
 * when it is not needed, false (with the field showing what to do) when it is
 * needed and not yet right.
 */
async function askLatinName(profile: Profile, statusTarget: HTMLElement): Promise<string | undefined | false> {
  const { canRender, needsLatinName } = await import('../../lib/certificate/index.ts');
  if (!needsLatinName(profile.name)) return undefined;
  const field = $('[data-latin-name]');
  const input = $<HTMLInputElement>('#latin-name');
  const error = $('#latin-name-error');
  // Asked for beside the button the learner chose.
  if (field.nextElementSibling !== statusTarget) statusTarget.before(field);
  field.hidden = false;
  const latinName = input.value.trim();
  const problem = !latinName
    ? 'Enter your name in the Latin alphabet, then choose Download again'
    : !canRender(latinName)
      ? 'Use only letters from the Latin alphabet'
      : '';
  error.hidden = !problem;
  error.textContent = problem;
  if (!problem) {
    input.removeAttribute('aria-invalid');
    return latinName;
  }
  input.setAttribute('aria-invalid', 'true');
  statusTarget.textContent = '';
  input.focus();
  return false;
}

/** Saves the renewal date as a calendar file. */
export async function downloadCalendar(learner: Learner, profile: Profile, progress: LearnerProgress, course: CourseFacts): Promise<void> {
  if (!progress.validUntil) return;
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
