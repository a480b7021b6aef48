/**
 * Moving the learning in a browser to the account a hub made: new statements
 * with the new actor, ids derived from the old ones, references kept, and
 * progress unchanged.
 */
import { describe, expect, it } from 'vitest';
import { moveStatements, nameBasedUuid } from '../../../src/lib/record/index.ts';
import { actorOf, createProfile } from '../../../src/lib/profile/index.ts';
import { isUuid, validateStatement } from '../../../src/lib/xapi/index.ts';
import { modules, profile, siteUrl } from '../../fixtures/learning-record/course.ts';
import { experienced, passed } from '../../fixtures/learning-record/statements.ts';

const hubAccount = {
  objectType: 'Agent' as const,
  name: 'Siân Llŷr',
  account: { homePage: 'https://hub.brookfield.example.org', name: '6f1d2c3b-4a59-4e8d-9c7b-1a2b3c4d5e6f' },
};

describe('moving learning to a hub account', () => {
  it('makes a new statement per old one, with the new actor and a new valid id, leaving what an LRS added', async () => {
    const old = [
      experienced(modules.familyHubs, '2026-03-01T09:00:00Z'),
      { ...passed(modules.familyHubs, '2026-03-01T09:10:00Z'), stored: '2026-03-01T09:10:01Z' },
    ];
    const moved = await moveStatements(old, hubAccount);
    expect(moved).toHaveLength(2);
    moved.forEach((statement, index) => {
      expect(statement.actor).toEqual(hubAccount);
      expect(statement.id).not.toBe(old[index]?.id);
      expect(isUuid(statement.id)).toBe(true);
      expect(statement.verb).toEqual(old[index]?.verb);
      expect(statement.timestamp).toBe(old[index]?.timestamp);
      expect(statement).not.toHaveProperty('stored');
      expect(validateStatement(statement).ok).toBe(true);
    });
  });

  it('derives the same ids when moved again, so a second try records nothing twice', async () => {
    const old = [experienced(modules.familyHubs, '2026-03-01T09:00:00Z')];
    expect((await moveStatements(old, hubAccount)).map((s) => s.id)).toEqual((await moveStatements(old, hubAccount)).map((s) => s.id));
    const other = { ...hubAccount, account: { ...hubAccount.account, name: '7f1d2c3b-4a59-4e8d-9c7b-1a2b3c4d5e6f' } };
    expect((await moveStatements(old, other))[0]?.id).not.toBe((await moveStatements(old, hubAccount))[0]?.id);
  });

  it('points a reference to a moved statement at its new id', async () => {
    const target = experienced(modules.familyHubs, '2026-03-01T09:00:00Z');
    const voiding = { ...experienced(modules.familyHubs, '2026-03-01T09:05:00Z'), object: { objectType: 'StatementRef' as const, id: target.id as string } };
    const [movedTarget, movedVoiding] = await moveStatements([target, voiding], hubAccount);
    expect(movedVoiding?.object).toEqual({ objectType: 'StatementRef', id: movedTarget?.id });
  });

  it('makes name-based UUIDs of version 8', async () => {
    expect(await nameBasedUuid('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives a profile enrolled on a hub the hub as its account home', () => {
    const enrolled = createProfile({ ...profile, actorId: hubAccount.account.name, accountHomePage: hubAccount.account.homePage });
    expect(actorOf(enrolled, siteUrl).account).toEqual(hubAccount.account);
    expect(actorOf(profile, siteUrl).account?.homePage).toBe(siteUrl);
  });
});
