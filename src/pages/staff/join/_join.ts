/**
 * The invitation page: reads the one-time token from the address's fragment (so
 * it never reaches a server log), takes it out of the address bar, and creates a
 * passkey for the invited person.
 */
import { startRegistration } from '@simplewebauthn/browser';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { findHub } from '../../../browser/hub.ts';
import { act, hubRequest, HubRequestError, showState } from '../../../browser/staff.ts';

interface JoinStart {
  challengeId: string;
  options: PublicKeyCredentialCreationOptionsJSON;
  kind: 'admin' | 'lead';
  name: string;
  organisations: string[];
  reset: boolean;
}

/** What the invitation is for, in words. */
export function describeInvite(start: Pick<JoinStart, 'kind' | 'name' | 'organisations' | 'reset'>): string {
  if (start.reset) return `Your admin has reset your sign-in, ${start.name}. Create a new passkey to sign in again; your old passkeys no longer work.`;
  if (start.kind === 'admin') return `You are invited to be an admin of the hub, ${start.name}.`;
  return `You are invited to be the workforce lead for ${start.organisations.join(', ')}, ${start.name}.`;
}

export async function startJoin(): Promise<void> {
  if (!(await findHub())) {
    showState('no-hub');
    return;
  }
  const token = location.hash.slice(1);
  history.replaceState(null, '', location.pathname);
  if (!token) {
    showState('invalid');
    return;
  }
  let start: JoinStart;
  try {
    start = await hubRequest<JoinStart>('/api/staff/join/options', { json: { token } });
  } catch (error) {
    showState('invalid');
    if (error instanceof HubRequestError && error.status !== 404) {
      const message = document.querySelector('[data-invalid-message]');
      if (message) message.textContent = error.message;
    }
    return;
  }
  const summary = document.querySelector('[data-invite-summary]');
  if (summary) summary.textContent = describeInvite(start);
  showState('ready');
  const form = document.querySelector<HTMLFormElement>('form[data-state="ready"]')!;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(async () => {
      // A challenge answers once: after a cancelled attempt, ask for a fresh one.
      const current = start.challengeId ? start : await hubRequest<JoinStart>('/api/staff/join/options', { json: { token } });
      start = { ...current, challengeId: '' };
      let response;
      try {
        response = await startRegistration({ optionsJSON: current.options });
      } catch {
        throw new Error('The passkey was not created: it was cancelled or this device cannot make one. Try again, or use another device.');
      }
      const passkeyName = (form.elements.namedItem('passkeyName') as HTMLInputElement).value;
      const joined = await hubRequest<{ kind: 'admin' | 'lead' }>('/api/staff/join/verify', {
        json: { token, challengeId: current.challengeId, response, passkeyName },
      });
      location.assign(joined.kind === 'admin' ? '/admin/' : '/lead/staff/');
    });
  });
}
