/**
 * Issuing a certificate in the browser, for the learner facade: the PDF is made
 * from derived progress, and the `earned` statement recorded beside the quiz and
 * film statements. pdf-lib and the fonts load only when a certificate is asked for.
 */
import type { CourseFacts } from '../lib/content/facts.ts';
import type { Profile } from '../lib/profile/index.ts';
import type { LearnerProgress } from '../lib/progress/index.ts';
import type { Agent, RecordedStatement, Statement } from '../lib/xapi/index.ts';
import type { CertificateInput } from '../lib/certificate/index.ts';

/** What the learner asks for. */
export interface CertificateAsk {
  kind: 'role' | 'module';
  /** For a module certificate: which module. */
  moduleId?: string;
  /** The progress the page shows, which the certificate states. */
  progress: LearnerProgress;
  /** The name in the Latin alphabet, when the learner's own cannot be printed. */
  latinName?: string;
}

/** A certificate made and recorded. */
export interface IssuedCertificate {
  bytes: Uint8Array;
  fileName: string;
  integrityCode: string;
  /** Whether the council's learning record (the hub) signed it. */
  signed: boolean;
  /** Why a learner enrolled on a hub got a self-issued certificate, in words they can act on. */
  unsignedReason?: string;
}

/** What issuing needs from the facade. */
export interface IssueContext {
  course: CourseFacts;
  profile: Profile;
  statements: readonly Statement[];
  actor: Agent;
  append(statements: RecordedStatement[]): Promise<void>;
}

/** Makes the certificate and records that it was earned. @throws CertificateInputError, CertificateFontError */
export async function issueCertificate(ask: CertificateAsk, context: IssueContext): Promise<IssuedCertificate> {
  const { course, profile, statements } = context;
  const { progress } = ask;
  const [certificates, { loadFontFromSite }, { certificateEarned }] = await Promise.all([
    import('../lib/certificate/index.ts'),
    import('../lib/certificate/browser-fonts.ts'),
    import('../lib/xapi/index.ts'),
  ]);
  const logoPng = course.logo?.endsWith('.png') ? new Uint8Array(await (await fetch(course.logo)).arrayBuffer()) : undefined;
  const input = certificates.certificateInputOf({
    kind: ask.kind,
    ...(ask.moduleId ? { moduleId: ask.moduleId } : {}),
    progress,
    profile,
    statements,
    council: { name: course.council, siteUrl: course.siteUrl, timeZone: course.timeZone, ...(logoPng ? { logoPng, logoAlt: course.council } : {}) },
    ...(ask.latinName ? { latinName: ask.latinName } : {}),
    certificateId: crypto.randomUUID(),
    now: new Date(),
  });
  const signing = await askHubToSign(input, certificates);
  const built = await certificates.buildCertificate('signature' in signing ? { ...input, signature: signing.signature } : input, {
    loadFont: loadFontFromSite,
  });
  const moduleTitle = progress.items.find((item) => item.item.id === ask.moduleId)?.item.title ?? '';
  await context.append([
    certificateEarned({
      actor: context.actor,
      siteUrl: course.siteUrl,
      certificate: {
        id: built.certificateId,
        roleId: progress.plan.role.id,
        roleName: ask.kind === 'role' ? progress.plan.role.name : `${progress.plan.role.name}: ${moduleTitle}`,
        matrixVersion: progress.plan.matrixVersion,
      },
    }),
  ]);
  return {
    bytes: built.bytes,
    fileName: built.fileName,
    integrityCode: built.integrityCode,
    signed: 'signature' in signing,
    ...('reason' in signing && signing.reason ? { unsignedReason: signing.reason } : {}),
  };
}

/**
 * Asks the hub to sign the certificate's claims when this browser is signed in to
 * one. The hub states what its own record holds; the signature is used only when
 * that matches what this certificate prints. Otherwise the certificate is
 * self-issued, with the reason (none when the learner never enrolled).
 */
async function askHubToSign(
  input: CertificateInput,
  certificates: typeof import('../lib/certificate/index.ts'),
): Promise<{ signature: string } | { reason: string | undefined }> {
  const { readCredential, hubRequest, HubRequestError } = await import('./hub-account.ts');
  if (!readCredential()) return { reason: undefined };
  const record = `${input.council.name}’s learning record`;
  let answer: { signature?: unknown; claims?: unknown };
  try {
    answer = await hubRequest('/me/certificate-claims', {
      json: { kind: input.kind, ...(input.kind === 'module' ? { moduleId: input.requirements[0]?.id } : {}), certificateId: input.certificateId },
    });
  } catch (error) {
    if (!(error instanceof HubRequestError)) {
      return {
        reason: `${record} could not be reached, so this certificate is self-issued. Download it again when you are online to have it signed by the council.`,
      };
    }
    if (error.status === 403)
      return { reason: `Your workforce lead has not confirmed your enrolment yet, so ${record} could not sign it. Download it again once they have.` };
    if (error.status === 409) {
      return { reason: `${record} does not hold all of this learning yet, so it could not sign it. Download it again once this device has sent everything.` };
    }
    if (error.status === 401) return { reason: `This device is no longer signed in to ${record}, so it could not sign it.` };
    console.error(error);
    return { reason: `${record} could not sign it this time. Download it again later to have it signed.` };
  }
  const claims = certificates.certificateClaimsSchema.safeParse(answer.claims);
  const differs = claims.success ? certificates.claimsMismatch(claims.data, certificates.factsOfInput(input)) : 'the answer';
  if (differs || typeof answer.signature !== 'string') {
    return { reason: `${record} holds something different from this device (${differs ?? 'the signature'}), so it could not sign it.` };
  }
  return { signature: answer.signature };
}

/**
 * Why a certificate could not be made, in words the learner can act on. The
 * certificate's own errors name input fields for developers; none of that
 * reaches the learner. The cause goes to the console for a bug report.
 */
export async function certificateFailureInWords(failure: unknown): Promise<string> {
  console.error(failure);
  const { CertificateFontError, LearnerNameError } = await import('../lib/certificate/errors.ts');
  if (failure instanceof LearnerNameError && failure.problem !== 'needs-latin-name') {
    return `Your certificate could not be made: ${failure.message} You can change your name with “Change your details”.`;
  }
  if (failure instanceof CertificateFontError || (failure instanceof TypeError && /fetch/i.test(failure.message))) {
    return 'Your certificate could not be made because part of it did not download. Check your internet connection, then choose Download again.';
  }
  return 'Sorry, your certificate could not be made. Reload the page and choose Download again. If it keeps happening, tell your workforce lead or the council’s learning team.';
}
