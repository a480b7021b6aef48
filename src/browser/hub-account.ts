/**
 * This browser's sign-in to the hub: the device credential the hub gave it (kept
 * in localStorage until the learner signs out of this computer), requests to the
 * site API with it, taking up the account after enrolling or entering a code,
 * and signing out, which leaves nothing of the learner in this browser.
 */
import { HubRequestError } from './hub.ts';
import type { Agent } from '../lib/xapi/index.ts';
import { learnerRecord } from './learner.ts';
import { credentialKey, forgetCredential, readCredential, type HubCredential } from './hub-credential.ts';

export { forgetCredential, readCredential, type HubCredential } from './hub-credential.ts';

export { HubRequestError };

/** What the hub answers to an enrolment or a one-time code (see src/hub/access/learners.ts). */
export interface SignedIn {
  token: string;
  device: { id: string; shared: boolean; expires: string | null };
  learner: { id: string; name: string; roleId: string; organisation: string; district: string; status: 'awaiting' | 'confirmed'; created: string };
  agent: Agent & { account: { homePage: string; name: string } };
}

function keepCredential(signed: SignedIn): void {
  const credential: HubCredential = {
    token: signed.token,
    deviceId: signed.device.id,
    learnerId: signed.learner.id,
    shared: signed.device.shared,
    expires: signed.device.expires,
  };
  localStorage.setItem(credentialKey, JSON.stringify(credential));
}

/** Sends a request to the site API (path under /api), with this browser's credential unless told not to. */
export async function hubRequest<T>(path: string, options: { method?: string; json?: unknown; signedIn?: boolean } = {}): Promise<T> {
  const headers = new Headers({ Accept: 'application/json' });
  if (options.json !== undefined) headers.set('Content-Type', 'application/json');
  const credential = options.signedIn === false ? undefined : readCredential();
  if (credential) headers.set('Authorization', `Bearer ${credential.token}`);
  const response = await fetch(`/api${path}`, {
    method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
    headers,
    cache: 'no-store',
    ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
  });
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({}))) as { error?: string; where?: string };
  if (!response.ok) throw new HubRequestError(response.status, body.error ?? `the hub answered ${response.status}`, body.where);
  return body as T;
}

/**
 * What is in this browser's record before signing in: how many statements, and
 * the sentence the "is it yours?" question shows when there are any.
 */
export async function localLearning(): Promise<{ statements: number; name: string | undefined; summary: string }> {
  const { store } = await learnerRecord();
  const [statements, profile] = await Promise.all([store.all(), store.getProfile()]);
  const count = statements.length;
  const summary = `This browser has a learning record${profile ? ` in the name ${profile.name}` : ''} with ${count} thing${count === 1 ? '' : 's'} done. On a shared computer it may be someone else’s.`;
  return { statements: count, name: profile?.name, summary };
}

/** The form problem for a failed request: the hub's words against the field it names (or none), else `fallback`. */
export function problemOf(error: unknown, fields: readonly string[], fallback: string): { field: string; reason: string } {
  if (error instanceof HubRequestError) {
    const reason = error.message.trim();
    return {
      field: fields.includes(error.where ?? '') ? (error.where as string) : 'request',
      reason: `${reason.charAt(0).toUpperCase()}${reason.slice(1)}${/[.!?]$/.test(reason) ? '' : '.'}`,
    };
  }
  console.error(error);
  return { field: 'request', reason: fallback };
}

/**
 * Takes up the account the hub made: keeps the credential, moves the learning
 * already in this browser to the account when the learner said it is theirs (or
 * there is none), saves the profile, and sends the moved learning to the hub.
 * Returns how many statements moved and whether the hub has them.
 */
export async function takeUpAccount(signed: SignedIn, moveLocalLearning: boolean): Promise<{ moved: number; sent: boolean }> {
  keepCredential(signed);
  const { store } = await learnerRecord();
  const [{ moveStatements }, { createProfile }] = await Promise.all([import('../lib/record/index.ts'), import('../lib/profile/index.ts')]);
  const [existing, earlier] = await Promise.all([store.all(), store.getProfile()]);
  if (existing.length > 0 && !moveLocalLearning)
    throw new Error('the learning in this browser is someone else’s: it must be erased before another person signs in here');
  const moved = await moveStatements(existing, signed.agent);
  if (moved.length > 0) {
    // The old statements go and the moved ones come in; the record keeps a copy in memory, so a failed write loses nothing.
    await store.erase();
    await store.append(moved);
  }
  await store.saveProfile(
    createProfile({
      name: signed.learner.name,
      organisation: signed.learner.organisation,
      roleId: signed.learner.roleId,
      district: earlier?.district,
      email: earlier?.email,
      actorId: signed.learner.id,
      accountHomePage: signed.agent.account.homePage,
    }),
  );
  // The outbox sends the moved learning (and keeps it, under the new account, until the hub has it).
  const { startSync } = await import('./hub-sync.ts');
  const sync = await startSync();
  const waiting = sync ? await sync.flush() : moved.length;
  return { moved: moved.length, sent: waiting === 0 };
}

/**
 * Signs this computer out: revokes its credential on the hub (when the hub can be
 * reached) and erases the learner's record and the credential from this browser.
 * Returns whether the hub revoked it.
 */
export async function signOutOfThisComputer(): Promise<'revoked' | 'not-reached'> {
  let outcome: 'revoked' | 'not-reached' = 'not-reached';
  if (readCredential()) {
    try {
      await hubRequest('/me/sign-out', { method: 'POST', json: {} });
      outcome = 'revoked';
    } catch (error) {
      // Already signed out (revoked from another device, or the end of a shared computer's day).
      if (error instanceof HubRequestError && error.status === 401) outcome = 'revoked';
    }
  }
  const learner = await learnerRecord();
  await learner.erase();
  forgetCredential();
  return outcome;
}
