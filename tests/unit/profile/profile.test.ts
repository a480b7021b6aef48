import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { actorOf, createProfile, ProfileError } from '../../../src/lib/profile/index.ts';
import { validateStatement, moduleExperienced } from '../../../src/lib/xapi/index.ts';
import { modules, siteUrl } from '../../fixtures/learning-record/course.ts';

const details = { name: 'Siân Llŷr', organisation: 'Brookfield Libraries', roleId: 'library-staff' };

describe('createProfile', () => {
  it.each(['Siân Llŷr', 'Zoë Łukasiewicz', 'محمد', '李雷', "Aoife O'Brien-Ní Bhriain"])('keeps the name %s as written', (name) => {
    expect(createProfile({ ...details, name }).name).toBe(name);
  });

  it('trims, normalises and gives a new learner a random actor id', () => {
    const decomposed = 'Sia\u0302n'; // "â" typed as a plus a combining circumflex
    const profile = createProfile({ ...details, name: `  ${decomposed} `, district: '', email: '' });
    expect(profile.name).toBe('Siân');
    expect(profile.actorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(profile).not.toHaveProperty('district', '');
    expect(profile.email).toBeUndefined();
    expect(createProfile(details).actorId).not.toBe(profile.actorId);
  });

  it('keeps the actor id when the learner changes their details', () => {
    const first = createProfile(details);
    const changed = createProfile({ ...first, roleId: 'jobcentre-work-coach', email: 'sian@example.org' });
    expect(changed).toMatchObject({ actorId: first.actorId, roleId: 'jobcentre-work-coach', email: 'sian@example.org' });
  });

  it.each([
    ['an empty name', { name: '   ' }, 'name', 'enter your name'],
    ['a name over 200 characters', { name: 'a'.repeat(201) }, 'name', 'name must be 200 characters or fewer'],
    ['no organisation', { organisation: '' }, 'organisation', 'enter your organisation'],
    ['a role id with capitals', { roleId: 'Library Staff' }, 'roleId', expect.stringContaining('lower-case')],
    ['a bad email', { email: 'sian at example' }, 'email', 'enter an email address like name@example.org'],
    ['a bad actor id', { actorId: '12' }, 'actorId', 'must be a UUID'],
  ])('rejects %s', (_name, change, field, reason) => {
    let error: unknown;
    try {
      createProfile({ ...details, ...change });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProfileError);
    expect((error as ProfileError).problems).toContainEqual({ field, reason });
  });

  it('says what is wrong in its message', () => {
    expect(() => createProfile({ ...details, name: '' })).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: The profile cannot be saved: name: enter your name.]`,
    );
  });
});

describe('profile and record checks in the browser', () => {
  // Pages load only zod/mini, which has no messages of its own. Run the checks in
  // a process that never loads classic zod, as a page does, and compare the words.
  it("give zod's English messages without classic zod", () => {
    const script = `
      const { profileSchema } = await import(${JSON.stringify(new URL('../../../src/lib/profile/index.ts', import.meta.url).href)});
      const { recordFileSchema } = await import(${JSON.stringify(new URL('../../../src/lib/record/schema.ts', import.meta.url).href)});
      const messages = (result) => result.error.issues.map((issue) => issue.path.join('.') + ': ' + issue.message);
      console.log(JSON.stringify([
        ...messages(profileSchema.safeParse({ name: 'Siân', organisation: 'Brookfield Libraries', district: 5, actorId: '12' })),
        ...messages(recordFileSchema.safeParse({ format: 'fh-learning-record', version: 1, exportedAt: 'today', siteUrl: 'here', profile: null })),
      ]));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '--eval', script], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual([
      'roleId: Invalid input: expected string, received undefined',
      'district: Invalid input: expected string, received number',
      'actorId: must be a UUID',
      'exportedAt: Invalid ISO datetime',
      'siteUrl: Invalid URL',
      'statements: Invalid input: expected array, received undefined',
    ]);
  });
});

describe('actorOf', () => {
  it('is an Agent with an account on the site and the name, never the email', () => {
    const profile = createProfile({ ...details, email: 'sian@example.org', actorId: '8c1d2f4e-6a3b-4e5f-9a7c-1b2d3e4f5a6b' });
    expect(actorOf(profile, siteUrl)).toEqual({
      objectType: 'Agent',
      name: 'Siân Llŷr',
      account: { homePage: siteUrl, name: '8c1d2f4e-6a3b-4e5f-9a7c-1b2d3e4f5a6b' },
    });
    const statement = moduleExperienced({ actor: actorOf(profile, siteUrl), siteUrl, module: modules.familyHubs });
    expect(validateStatement(statement).ok).toBe(true);
  });
});
