/**
 * Signed certificate claims for a signed-in learner. The hub states only what
 * its own rows hold: the learner's name, organisation and role from `person`,
 * and their progress derived (with the site's own progress function) from the
 * statements their own devices sent — never from statements a system sent with
 * an API key or that arrived in a handed-in file. Only confirmed learners get
 * them: a lead has not yet vouched for anyone else.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { Statement } from '@xapi/xapi';
import type { HubDeps } from '../app.ts';
import type { Sql } from '../db/index.ts';
import type { HubCourse } from '../progress/course.ts';
import { HubError } from '../xapi/common.ts';
import { authenticateDevice } from '../access/devices.ts';
import { learnerKey } from '../access/learner-statements.ts';
import { readBody } from '../access/request.ts';
import { deriveProgress } from '../../lib/progress/index.ts';
import { certificateInputOf } from '../../lib/certificate/from-progress.ts';
import { CertificateInputError } from '../../lib/certificate/errors.ts';
import { claimsOf, type CertificateClaims } from '../../lib/certificate/claims.ts';
import { signJws, type PrivateJwk } from '../../lib/signing/index.ts';
import { publishedKeys } from './keys.ts';

const claimsRequest = z
  .object({
    kind: z.enum(['role', 'module'], { error: 'kind must be "role" or "module"' }),
    moduleId: z.string().min(1).max(200).optional(),
    certificateId: z.uuid({ error: 'certificateId must be a UUID' }),
  })
  .strict()
  .refine((body) => body.kind === 'role' || body.moduleId !== undefined, { message: 'a module certificate needs moduleId', path: ['moduleId'] });

/** What the learner's browser gets back: the JWS it embeds, and the claims in the clear for it to compare. */
export interface SignedClaims {
  signature: string;
  claims: CertificateClaims;
}

/** The statements the hub may vouch for: the learner's own, stored by their own devices (the learner is the authority), not voided. */
export async function deviceStatementsOf(sql: Sql, publicUrl: string, personId: string): Promise<Statement[]> {
  const key = learnerKey(publicUrl, personId);
  const rows = await sql.query<{ body: Statement }>(
    'select body from statement where actor_key = $1 and authority_key = $1 and not voided and voids is null order by seq',
    [key],
  );
  return rows.map((row) => row.body);
}

/** Builds and signs the claims of a learner's certificate from the hub's rows. @throws HubError saying why it cannot */
export async function signCertificateClaims(
  sql: Sql,
  options: { course: HubCourse; key: PrivateJwk; publicUrl: string; personId: string; request: z.output<typeof claimsRequest>; now: Date },
): Promise<SignedClaims> {
  const { course, key, publicUrl, personId, request, now } = options;
  const [person] = await sql.query<{ name: string; role_id: string | null; status: string; organisation: string }>(
    `select p.name, p.role_id, p.status, o.name as organisation from person p join organisation o on o.id = p.organisation_id
      where p.id = $1 and p.kind = 'learner'`,
    [personId],
  );
  if (!person) throw new HubError(404, 'there is no learner with this account on the hub');
  if (person.status !== 'confirmed') {
    throw new HubError(403, 'your workforce lead has not confirmed your enrolment yet, so the council’s record cannot sign your certificate');
  }
  const roleId = person.role_id ?? '';
  if (!course.matrix.roles.some((role) => role.id === roleId)) {
    throw new HubError(409, 'the council’s record has no role for you in its matrix, so it cannot sign a certificate');
  }
  const { site, matrix, catalogue } = course;
  const statements = await deviceStatementsOf(sql, publicUrl, personId);
  const progress = deriveProgress({ statements, matrix, catalogue, roleId, siteUrl: site.siteUrl, now });
  let input;
  try {
    input = certificateInputOf({
      kind: request.kind,
      ...(request.moduleId ? { moduleId: request.moduleId } : {}),
      progress,
      profile: { name: person.name, organisation: person.organisation, roleId, actorId: personId },
      statements: [],
      council: { name: site.council, siteUrl: site.siteUrl, timeZone: site.timeZone },
      certificateId: request.certificateId,
      now,
    });
  } catch (error) {
    if (!(error instanceof CertificateInputError)) throw error;
    throw new HubError(
      409,
      request.kind === 'role'
        ? 'the council’s record does not yet hold every required item of your role as complete: what this device has not sent yet is not there'
        : 'the council’s record does not yet hold this module as complete: what this device has not sent yet is not there',
      'kind',
    );
  }
  const claims = claimsOf(input, { issuer: publicUrl, subject: personId, signedAt: now });
  return { signature: await signJws(claims, key), claims };
}

/** Adds `POST /api/me/certificate-claims` (device credential) to the site API. */
export function certificateRoutes(api: Hono, deps: HubDeps): void {
  const { db, config } = deps;
  api.post('/me/certificate-claims', async (c) => {
    const now = deps.now?.() ?? new Date();
    const caller = await authenticateDevice(db, config.publicUrl, c.req.header('Authorization'), now);
    if (!deps.course) throw new HubError(409, 'this hub was started without the council’s course, so it cannot sign certificates');
    if (!deps.signingKey) throw new HubError(409, 'this hub has no signing key, so it cannot sign certificates');
    const request = await readBody(c, claimsRequest);
    const signed = await signCertificateClaims(db, {
      course: deps.course,
      key: deps.signingKey,
      publicUrl: config.publicUrl,
      personId: caller.personId,
      request,
      now,
    });
    return c.json(signed);
  });
}

/** `GET /.well-known/jwks.json`: every public key the hub has signed certificates with. */
export function jwksRoute(app: Hono, deps: HubDeps): void {
  app.get('/.well-known/jwks.json', async (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(await publishedKeys(deps.db));
  });
}
