/**
 * What a certificate states, taken from derived progress and nothing else:
 * the page never decides what was achieved.
 */
import type { Statement } from '@xapi/xapi';
import type { Profile } from '../profile/index.ts';
import { countsAsValid, type ItemProgress, type LearnerProgress } from '../progress/index.ts';
import { activityIris } from '../xapi/index.ts';
import { CertificateInputError } from './errors.ts';
import type { CertificateInput } from './input.ts';

export interface CertificateRequest {
  kind: 'role' | 'module';
  /** For a module certificate: which module. */
  moduleId?: string;
  progress: LearnerProgress;
  profile: Profile;
  statements: readonly Statement[];
  council: CertificateInput['council'];
  /** The name in Latin script, when the learner gave one. */
  latinName?: string;
  certificateId: string;
  now: Date;
}

/** Whether the role's required items are all currently valid, so a role certificate can be issued. */
export function roleCertificateReady(progress: LearnerProgress): boolean {
  return countsAsValid(progress.status);
}

/** Builds the certificate input from progress. @throws CertificateInputError when the role or module is not complete. */
export function certificateInputOf(request: CertificateRequest): CertificateInput {
  const { progress, profile, council, now } = request;
  let items: ItemProgress[];
  if (request.kind === 'role') {
    if (!roleCertificateReady(progress)) {
      throw new CertificateInputError('requirements', 'every required item of the role must be complete before a role certificate is issued');
    }
    items = progress.items.filter((item) => item.item.required);
  } else {
    const item = progress.items.find((candidate) => candidate.item.id === request.moduleId && candidate.item.kind === 'module');
    if (!item || !countsAsValid(item.status)) {
      throw new CertificateInputError('requirements', `the module '${request.moduleId ?? ''}' must be complete before its certificate is issued`);
    }
    items = [item];
  }
  const requirements = items.map((item) => ({
    id: item.item.id,
    title: item.item.title,
    kind: item.item.kind,
    completedAt: item.completedAt ?? '',
    ...(item.score === undefined ? {} : { score: item.score }),
    renewalDate: item.renewalDate ?? '',
  }));
  const validUntil = requirements.map((requirement) => requirement.renewalDate).sort()[0] ?? '';
  const siteUrl = council.siteUrl;
  const prefixes = items.map((item) =>
    item.item.kind === 'module'
      ? activityIris.module(siteUrl, item.item.id)
      : item.item.kind === 'film'
        ? activityIris.film(siteUrl, item.item.id)
        : activityIris.webinar(siteUrl, item.item.id),
  );
  const rests = (statement: Statement) => {
    const id = 'id' in statement.object ? String(statement.object.id) : '';
    return prefixes.some((prefix) => id === prefix || id.startsWith(`${prefix}/`));
  };
  return {
    kind: request.kind,
    council,
    learner: {
      name: profile.name,
      ...(request.latinName ? { latinName: request.latinName } : {}),
      organisation: profile.organisation,
      roleName: progress.plan.role.name,
      level: progress.plan.level.id,
      levelName: progress.plan.level.name,
    },
    requirements,
    validUntil,
    issuedAt: now.toISOString(),
    certificateId: request.certificateId,
    matrixVersion: progress.plan.matrixVersion,
    verifyUrl: `${siteUrl}/verify/`,
    statements: request.statements.filter(rests) as unknown as Record<string, unknown>[],
    // The email stays on the learner's device: a certificate is handed to other people.
    profile: {
      name: profile.name,
      organisation: profile.organisation,
      roleId: profile.roleId,
      actorId: profile.actorId,
      ...(profile.district ? { district: profile.district } : {}),
    },
  };
}
