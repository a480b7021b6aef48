/**
 * The lead's people: one document per account, written and read back through
 * the record, each checked when read, so a document something else wrote is
 * named rather than trusted.
 */
import { describe, expect, it } from 'vitest';
import { openLeadRecord, StoredDocumentError, type StoredPerson } from '../../../src/lib/record/index.ts';
import { loadPouchDB, openPouchPeopleStore } from '../../../src/lib/record/pouch.ts';
import { leadRecordNames, leadRecordSaved } from '../../../src/lib/record/saved.ts';
import { profile, siteUrl } from '../../fixtures/learning-record/course.ts';
import { nextId } from '../../fixtures/learning-record/statements.ts';

const person = (asOf: string, name = profile.name): StoredPerson => ({ homePage: siteUrl, profile: { ...profile, name }, asOf });
const databaseNames = async () => (await indexedDB.databases()).map((database) => database.name);

describe('the lead’s people store', () => {
  it('keeps the latest details per account across openings', async () => {
    const name = `people-${nextId()}`;
    const store = await openPouchPeopleStore(name);
    await store.put([['account-1', person('2026-03-01T09:00:00Z')]]);
    await store.put([['account-1', person('2026-04-01T09:00:00Z', 'Siân Llŷr-Jones')]]);
    const again = await openPouchPeopleStore(name);
    expect(await again.all()).toEqual(new Map([['account-1', person('2026-04-01T09:00:00Z', 'Siân Llŷr-Jones')]]));
    await again.put([['account-1', person('2026-05-01T09:00:00Z')]]);
    expect((await again.all()).get('account-1')?.asOf).toBe('2026-05-01T09:00:00Z');
    await again.erase();
  });

  it('names a stored document it did not write, and says what the lead can do', async () => {
    const name = `people-${nextId()}`;
    const PouchDB = await loadPouchDB();
    const other = new PouchDB(name);
    await other.put({ _id: 'account-2', kind: 'person', sighting: { homePage: siteUrl, profile: { name: 'No role' }, asOf: '2026-03-01' } });
    const store = await openPouchPeopleStore(name);
    const reading = store.all();
    await expect(reading).rejects.toBeInstanceOf(StoredDocumentError);
    await expect(reading).rejects.toThrowErrorMatchingInlineSnapshot(
      `[StoredDocumentError: The stored document "account-2" is not a learning record entry (sighting.profile.organisation: organisation must be text; sighting.profile.roleId: Invalid input: expected string, received undefined; sighting.profile.actorId: must be a UUID). Choose “Clear all imported data” and add the files again.]`,
    );
    await store.erase();
  });

  it('erases its database for good and makes it again on the next write', async () => {
    const name = `people-${nextId()}`;
    const store = await openPouchPeopleStore(name);
    await store.put([['account-1', person('2026-03-01T09:00:00Z')]]);
    await store.erase();
    expect(await databaseNames()).not.toContain(`_pouch_${name}`);
    expect(await store.all()).toEqual(new Map());
    await store.put([['account-1', person('2026-03-02T09:00:00Z')]]);
    expect((await store.all()).size).toBe(1);
    await store.erase();
  });
});

describe('openLeadRecord', () => {
  it('keeps statements and people under the lead’s own names, and says when they are saved', async () => {
    const record = await openLeadRecord();
    expect(record.persistent).toBe(true);
    await record.people.put([['account-1', person('2026-03-01T09:00:00Z')]]);
    await record.statements.saveProfile(profile);
    expect(await databaseNames()).toEqual(expect.arrayContaining([`_pouch_${leadRecordNames.statements}`, `_pouch_${leadRecordNames.people}`]));
    expect(await leadRecordSaved()).toBe(true);
    await record.statements.erase();
    await record.people.erase();
    expect(await leadRecordSaved()).toBe(false);
  });
});
