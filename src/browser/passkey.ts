/** Adding a passkey for the signed-in lead or admin, from the lead and admin pages. */
import { startRegistration } from '@simplewebauthn/browser';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { hubRequest } from './staff.ts';

/** Creates another passkey for the person signed in, named `name`. */
export async function addPasskey(name: string): Promise<void> {
  const { challengeId, options } = await hubRequest<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }>('/api/staff/passkeys/options', {
    json: {},
  });
  let response;
  try {
    response = await startRegistration({ optionsJSON: options });
  } catch {
    throw new Error('The passkey was not created: it was cancelled, or this device already holds one of your passkeys.');
  }
  await hubRequest('/api/staff/passkeys/verify', { json: { challengeId, response, passkeyName: name } });
}
