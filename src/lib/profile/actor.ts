/**
 * The actor a profile makes statements as. Kept apart from the profile's checks
 * (and zod) so pages that only record and show progress do not load them.
 */
import type { Agent } from '@xapi/xapi';
import type { Profile } from './index.ts';

/** The xAPI actor for a profile: an account on the site (or the hub it enrolled on), never the email (one identifier only). */
export function actorOf(profile: Profile, siteUrl: string): Agent & { objectType: 'Agent' } {
  return { objectType: 'Agent', name: profile.name, account: { homePage: profile.accountHomePage ?? siteUrl, name: profile.actorId } };
}
