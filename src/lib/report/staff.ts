/**
 * Members of staff as the lead sees them: statements merged by id from every
 * file handed in, grouped by the learner's xAPI account, each with the latest
 * profile they gave (name, organisation, role, district).
 */
import type { Statement } from '@xapi/xapi';
import type { Profile } from '../profile/index.ts';

/** A profile as one handed-in file states it. */
export interface ProfileSighting {
  /** The site the learner's account is on (the actor's `account.homePage`). @example "https://learning.brookfield.example.org" */
  homePage: string;
  profile: Profile;
  /** When the file said so: a record file's `exportedAt`, a certificate's `issuedAt`. */
  asOf: string;
}

/** One member of staff: their latest profile and every statement about them. */
export interface StaffMember {
  /** Their account, as `actorKeyOf` writes it. */
  key: string;
  profile: Profile;
  /** When that profile was last stated. */
  asOf: string;
  /** Oldest first. */
  statements: Statement[];
}

/** Who handed in what: the staff, and accounts with statements but no profile (no name or role to show). */
export interface StaffList {
  staff: StaffMember[];
  /** Accounts whose statements arrived without any profile; they cannot be placed in the matrix. */
  withoutProfile: string[];
}

/** The one key for an xAPI account: the site and the account name. */
export function actorKeyOf(account: { homePage: string; name: string }): string {
  return `${account.homePage}|${account.name}`;
}

/** The key of the account a statement is about, if its actor is an account-identified Agent. */
export function statementActorKey(statement: Statement): string | undefined {
  const actor = statement.actor as { account?: { homePage?: unknown; name?: unknown } };
  const account = actor.account;
  return typeof account?.homePage === 'string' && typeof account.name === 'string' ? actorKeyOf({ homePage: account.homePage, name: account.name }) : undefined;
}

/** The key of the account a profile belongs to. */
export function profileKeyOf(sighting: ProfileSighting): string {
  return actorKeyOf({ homePage: sighting.homePage, name: sighting.profile.actorId });
}

/** Whether `candidate` is newer than `current`: a later `asOf` wins; on a tie the one already held stays. */
export function isNewerSighting(candidate: ProfileSighting, current: ProfileSighting | undefined): boolean {
  return current === undefined || Date.parse(candidate.asOf) > Date.parse(current.asOf);
}

/** The latest profile per account. */
export function latestProfiles(sightings: Iterable<ProfileSighting>): Map<string, ProfileSighting> {
  const latest = new Map<string, ProfileSighting>();
  for (const sighting of sightings) {
    const key = profileKeyOf(sighting);
    if (isNewerSighting(sighting, latest.get(key))) latest.set(key, sighting);
  }
  return latest;
}

/**
 * Groups statements per member of staff by their account, with their latest
 * profile. Everyone with a profile is listed, even with no statements yet.
 */
export function staffOf(statements: readonly Statement[], sightings: Iterable<ProfileSighting>): StaffList {
  const profiles = latestProfiles(sightings);
  const byKey = new Map<string, Statement[]>();
  for (const statement of statements) {
    const key = statementActorKey(statement);
    if (key === undefined) continue;
    const list = byKey.get(key);
    if (list) list.push(statement);
    else byKey.set(key, [statement]);
  }
  const staff: StaffMember[] = [];
  for (const [key, sighting] of profiles) {
    staff.push({ key, profile: sighting.profile, asOf: sighting.asOf, statements: byKey.get(key) ?? [] });
  }
  const withoutProfile = [...byKey.keys()].filter((key) => !profiles.has(key)).sort();
  return { staff, withoutProfile };
}
