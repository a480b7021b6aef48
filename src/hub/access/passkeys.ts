/**
 * Passkeys (WebAuthn) for leads and admins, through @simplewebauthn/server. The
 * relying party is the hub's public address: its host name is the RP ID and its
 * origin the only one accepted. Challenges wait in `auth_challenge` for five
 * minutes and are deleted as they are read, so each answers once.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Sql } from '../db/index.ts';
import { HubError } from '../xapi/common.ts';
import { storeChallenge, takeStoredChallenge } from './challenges.ts';

const challengeMinutes = 5;
/** ES256 and RS256: what every platform authenticator offers (and no post-quantum probing on Node 24). */
const supportedAlgorithmIDs = [-7, -257];

/** The relying party a public address stands for. */
export function relyingParty(publicUrl: string): { rpID: string; origin: string; rpName: string } {
  const url = new URL(publicUrl);
  return { rpID: url.hostname, origin: url.origin, rpName: 'Family Hub learning' };
}

type ChallengePurpose = 'register' | 'sign-in';

const saveChallenge = (db: Sql, purpose: ChallengePurpose, challenge: string, personId: string | null, detail: Record<string, unknown>, now: Date) =>
  storeChallenge(db, { purpose, challenge, personId, detail }, challengeMinutes, now);

export interface TakenChallenge {
  challenge: string;
  personId: string | null;
  detail: Record<string, unknown>;
}

/** Reads and deletes a live challenge in one statement; 400 when it is unknown, used or out of date. */
export async function takeChallenge(db: Sql, id: unknown, purpose: ChallengePurpose, now: Date): Promise<TakenChallenge> {
  if (typeof id !== 'string' || id === '') throw new HubError(400, 'challengeId is missing: start again', 'challengeId');
  const taken = await takeStoredChallenge(db, id, [purpose], now);
  if (!taken) throw new HubError(400, 'this passkey request has run out of time or was already used: start again', 'challengeId');
  return { challenge: taken.challenge, personId: taken.personId, detail: taken.detail };
}

export interface RegistrationStart {
  challengeId: string;
  options: PublicKeyCredentialCreationOptionsJSON;
}

/** Options for creating a passkey for `person`, excluding the passkeys they already have. */
export async function startRegistration(
  db: Sql,
  publicUrl: string,
  person: { id: string; name: string; existing: string[] },
  detail: Record<string, unknown>,
  now: Date,
): Promise<RegistrationStart> {
  const { rpID, rpName } = relyingParty(publicUrl);
  const options = await generateRegistrationOptions({
    rpName,
    rpID,
    userName: person.name,
    userDisplayName: person.name,
    userID: new TextEncoder().encode(person.id),
    attestationType: 'none',
    excludeCredentials: person.existing.map((id) => ({ id })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    supportedAlgorithmIDs,
  });
  const challengeId = await saveChallenge(db, 'register', options.challenge, null, { ...detail, personId: person.id }, now);
  return { challengeId, options };
}

export interface NewPasskey {
  id: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
}

/** Checks the browser's answer to a registration challenge; 400 when it does not hold. */
export async function finishRegistration(publicUrl: string, challenge: string, response: unknown): Promise<NewPasskey> {
  const { rpID, origin } = relyingParty(publicUrl);
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
      supportedAlgorithmIDs,
    });
  } catch (error) {
    throw new HubError(400, `the passkey could not be checked: ${error instanceof Error ? error.message : String(error)}`, 'response');
  }
  if (!verified.verified) throw new HubError(400, 'the passkey could not be checked', 'response');
  const { credential } = verified.registrationInfo;
  return { id: credential.id, publicKey: credential.publicKey, counter: credential.counter, transports: credential.transports ?? [] };
}

/** Stores a checked passkey for a person. */
export async function savePasskey(db: Sql, personId: string, passkey: NewPasskey, name: string): Promise<void> {
  await db.query('insert into passkey (id, person_id, public_key, counter, transports, name) values ($1, $2, $3, $4, $5, $6)', [
    passkey.id,
    personId,
    passkey.publicKey,
    passkey.counter,
    passkey.transports,
    name,
  ]);
}

export interface SignInStart {
  challengeId: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}

/** Options for signing in with any passkey of this site (the browser offers the ones it holds). */
export async function startSignIn(db: Sql, publicUrl: string, now: Date): Promise<SignInStart> {
  const options = await generateAuthenticationOptions({ rpID: relyingParty(publicUrl).rpID, userVerification: 'preferred' });
  const challengeId = await saveChallenge(db, 'sign-in', options.challenge, null, {}, now);
  return { challengeId, options };
}

/** Checks a sign-in answer against the stored passkey; returns the person it belongs to, or undefined when it does not hold. */
export async function finishSignIn(db: Sql, publicUrl: string, challenge: string, response: unknown, now: Date): Promise<string | undefined> {
  const answer = response as AuthenticationResponseJSON;
  if (typeof answer?.id !== 'string') throw new HubError(400, 'response.id is missing', 'response.id');
  const rows = await db.query<{ person_id: string; public_key: Uint8Array; counter: string | number; transports: string[] }>(
    `select k.person_id, k.public_key, k.counter, k.transports from passkey k join person p on p.id = k.person_id
     where k.id = $1 and p.kind in ('admin', 'lead')`,
    [answer.id],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { rpID, origin } = relyingParty(publicUrl);
  try {
    const verified = await verifyAuthenticationResponse({
      response: answer,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: { id: answer.id, publicKey: new Uint8Array(row.public_key), counter: Number(row.counter), transports: row.transports },
      requireUserVerification: false,
    });
    if (!verified.verified) return undefined;
    await db.query('update passkey set counter = $2, last_used = $3 where id = $1', [answer.id, verified.authenticationInfo.newCounter, now]);
    return row.person_id;
  } catch {
    return undefined;
  }
}
