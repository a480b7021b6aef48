import { describe, expect, it } from 'vitest';
import type { Statement } from '@xapi/xapi';
import { deriveProgress } from '../../../src/lib/progress/index.ts';
import { completionMatrix, cellText } from '../../../src/lib/report/index.ts';
import { activityIris, catalogueItemOf, validateStatement, verbs, webinarAttended } from '../../../src/lib/xapi/index.ts';
import { actor, catalogue as baseCatalogue, matrix as baseMatrix, profile, siteUrl } from '../../fixtures/learning-record/course.ts';
import { nextId, watched } from '../../fixtures/learning-record/statements.ts';

const webinar = { id: 'live-update', title: 'Local offer update', version: '1.0' };
const matrix = {
  ...baseMatrix,
  roles: baseMatrix.roles.map((role) => (role.id === 'library-staff' ? { ...role, required: [...role.required, webinar.id] } : role)),
};
const catalogue = {
  ...baseCatalogue,
  [webinar.id]: { id: webinar.id, kind: 'webinar' as const, title: webinar.title, summary: 'What is new.', minutes: 45, version: '1.0' },
};
const recording = { id: webinar.id, title: webinar.title, version: '1.0', of: 'webinar-recording' as const };

const attended = (when: string, sessionId = 'october', version = '1.0') =>
  webinarAttended({ actor, siteUrl, now: new Date(when), id: nextId(), session: { webinarId: webinar.id, webinarTitle: webinar.title, version, sessionId } });

const webinarProgress = (statements: readonly Statement[], now = '2027-11-01T00:00:00Z') =>
  deriveProgress({ statements, matrix, catalogue, roleId: 'library-staff', siteUrl, now: new Date(now) }).items.find((item) => item.item.id === webinar.id)!;

describe('"I attended" statements', () => {
  it('name the session as the object, with the webinar as parent, and are valid xAPI', () => {
    const statement = attended('2027-10-21T10:30:00Z');
    expect(statement.verb).toEqual(verbs.attended);
    expect(statement.verb.id).toBe('http://adlnet.gov/expapi/verbs/attended');
    expect('id' in statement.object && statement.object.id).toBe(`${siteUrl}/webinars/live-update/sessions/october`);
    expect(statement.context?.contextActivities?.parent?.[0]?.id).toBe(activityIris.webinar(siteUrl, webinar.id));
    expect(validateStatement(statement)).toMatchObject({ ok: true });
  });

  it('belong to the webinar, like its recording', () => {
    expect(catalogueItemOf(siteUrl, activityIris.webinarSession(siteUrl, 'live-update', 'october'))).toEqual({ kind: 'webinar', id: 'live-update' });
    expect(catalogueItemOf(siteUrl, activityIris.webinarRecording(siteUrl, 'live-update'))).toEqual({ kind: 'webinar', id: 'live-update' });
  });
});

describe('deriveProgress: webinars', () => {
  it('is not started until something is recorded', () => {
    expect(webinarProgress([]).status).toBe('not-started');
  });

  it('counts "I attended" for a session, as self-declared, with renewal from that day', () => {
    const progress = webinarProgress([attended('2027-10-21T10:30:00Z')]);
    expect(progress).toMatchObject({ status: 'completed', completedAt: '2027-10-21T10:30:00.000Z', attendance: 'self-declared', version: '1.0' });
    expect(progress.renewalDate).toBe('2029-10-21T10:30:00.000Z');
  });

  it('counts at least 90% of the recording watched, as watched', () => {
    const progress = webinarProgress(watched('2027-10-25T09:00:00Z', [{ start: 0, end: 91 }], { film: recording, length: 100 }));
    expect(progress).toMatchObject({ status: 'completed', attendance: 'recording', watched: 0.91 });
  });

  it('does not count less than 90% of the recording', () => {
    const progress = webinarProgress(watched('2027-10-25T09:00:00Z', [{ start: 0, end: 80 }], { film: recording, length: 100 }));
    expect(progress).toMatchObject({ status: 'in-progress', watched: 0.8 });
    expect(progress.attendance).toBeUndefined();
  });

  it('does not count a film clip of the same name, nor attendance on an older version', () => {
    const clip = watched('2027-10-25T09:00:00Z', [{ start: 0, end: 100 }], { film: { id: webinar.id, title: webinar.title, version: '1.0' }, length: 100 });
    expect(webinarProgress(clip).status).toBe('not-started');
    expect(webinarProgress([attended('2027-10-21T10:30:00Z', 'october', '0.9')]).status).toBe('in-progress');
  });

  it('shows the lead which completions rest on the learner’s word and which on the recording', () => {
    const row = (statements: Statement[]) =>
      completionMatrix({
        matrix,
        catalogue,
        siteUrl,
        timeZone: 'Europe/London',
        now: new Date('2027-11-01T00:00:00Z'),
        staff: [{ key: 'a', profile, asOf: '2027-11-01T00:00:00Z', statements }],
      }).rows[0]!;
    const cellOf = (statements: Statement[]) => row(statements).cells.find((cell) => cell.itemId === webinar.id)!;
    expect(cellText(cellOf([attended('2027-10-21T10:30:00Z')]))).toBe('Completed 2027-10-21 (attendance self-declared)');
    expect(cellText(cellOf(watched('2027-10-25T09:00:00Z', [{ start: 0, end: 95 }], { film: recording, length: 100 })))).toBe(
      'Completed 2027-10-25 (watched the recording)',
    );
  });
});
