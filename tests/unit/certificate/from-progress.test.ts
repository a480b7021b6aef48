import { describe, expect, it } from 'vitest';
import { buildCertificate, certificateInputOf, CertificateInputError, roleCertificateReady, verifyCertificate } from '../../../src/lib/certificate/index.ts';
import { deriveProgress } from '../../../src/lib/progress/index.ts';
import { loadFontFromNodeModules } from '../../fixtures/certificate/fonts.ts';
import { catalogue, matrix, modules, profile, siteUrl } from '../../fixtures/learning-record/course.ts';
import { answered, experienced, failed, passed, watched } from '../../fixtures/learning-record/statements.ts';

const now = new Date('2026-11-23T10:00:00Z');
const council = { name: 'Brookfield Council', siteUrl };
const certificateId = '5b0e7a4c-3f2d-4c1b-9a8e-7d6c5b4a3f2e';

const complete = [
  experienced(modules.familyHubs, '2026-10-01T09:00:00Z'),
  answered(modules.familyHubs, '2026-10-01T09:10:00Z'),
  failed(modules.familyHubs, '2026-10-01T09:12:00Z'),
  passed(modules.familyHubs, '2026-10-01T09:20:00Z', 4),
  passed(modules.safeguarding, '2026-10-02T14:00:00Z'),
  ...watched('2026-10-03T11:00:00Z', [{ start: 0, end: 115 }]),
  passed(modules.localOffer, '2026-10-04T11:00:00Z'),
];
const progressOf = (statements = complete) => deriveProgress({ statements, matrix, catalogue, roleId: 'library-staff', siteUrl, now });

describe('certificateInputOf', () => {
  it('states each required item with the date and score progress derived', () => {
    const input = certificateInputOf({ kind: 'role', progress: progressOf(), profile, statements: complete, council, certificateId, now });
    expect(input.requirements).toEqual([
      {
        id: 'family-hubs',
        title: modules.familyHubs.title,
        kind: 'module',
        completedAt: '2026-10-01T09:20:00.000Z',
        score: 0.8,
        renewalDate: '2028-10-01T09:20:00.000Z',
      },
      {
        id: 'safeguarding-basics',
        title: modules.safeguarding.title,
        kind: 'module',
        completedAt: '2026-10-02T14:00:00.000Z',
        score: 1,
        renewalDate: '2027-10-02T14:00:00.000Z',
      },
      { id: 'baby-hub-tour', title: 'A tour of the baby hub', kind: 'film', completedAt: expect.any(String), renewalDate: expect.any(String) },
    ]);
    expect(input.validUntil).toBe('2027-10-02T14:00:00.000Z');
    expect(input.learner).toMatchObject({
      name: 'Siân Llŷr',
      organisation: 'Brookfield Libraries',
      roleName: 'Library staff',
      level: 1,
      levelName: 'Front door',
    });
    expect(input.verifyUrl).toBe(`${siteUrl}/verify/`);
  });

  it('carries only the statements about the role’s items, and never the email', () => {
    const input = certificateInputOf({
      kind: 'role',
      progress: progressOf(),
      profile: { ...profile, email: 'sian@example.org' },
      statements: complete,
      council,
      certificateId,
      now,
    });
    const ids = input.statements.map((statement) => statement['id']);
    expect(ids).not.toContain(complete.at(-1)?.id);
    expect(ids).toHaveLength(complete.length - 1);
    expect(input.profile).not.toHaveProperty('email');
  });

  it('refuses a role certificate until every required item is complete', () => {
    const partial = complete.slice(0, 4);
    expect(roleCertificateReady(progressOf(partial))).toBe(false);
    expect(() => certificateInputOf({ kind: 'role', progress: progressOf(partial), profile, statements: partial, council, certificateId, now })).toThrow(
      CertificateInputError,
    );
  });

  it('issues a module certificate for one completed module, and refuses one not completed', () => {
    const partial = complete.slice(0, 4);
    const input = certificateInputOf({
      kind: 'module',
      moduleId: 'family-hubs',
      progress: progressOf(partial),
      profile,
      statements: partial,
      council,
      certificateId,
      now,
    });
    expect(input.requirements.map((requirement) => requirement.id)).toEqual(['family-hubs']);
    expect(() =>
      certificateInputOf({
        kind: 'module',
        moduleId: 'safeguarding-basics',
        progress: progressOf(partial),
        profile,
        statements: partial,
        council,
        certificateId,
        now,
      }),
    ).toThrow("the module 'safeguarding-basics' must be complete before its certificate is issued");
  });

  it('makes a certificate that verifies as genuine, with the progress dates inside', async () => {
    const input = certificateInputOf({ kind: 'role', progress: progressOf(), profile, statements: complete, council, certificateId, now });
    const built = await buildCertificate(input, { loadFont: loadFontFromNodeModules });
    const result = await verifyCertificate(built.bytes, { now });
    expect(result.status).toBe('genuine');
    if (result.status !== 'genuine') return;
    expect(result.details.validUntil).toBe('2027-10-02T14:00:00.000Z');
    expect(result.details.expired).toBe(false);
  });
});
