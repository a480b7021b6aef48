/** The sign-in page: one button that asks the browser for a passkey of this site. */
import { startAuthentication } from '@simplewebauthn/browser';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { findHub } from '../../../browser/hub.ts';
import { act, hubRequest, showError, showState, signedInStaff } from '../../../browser/staff.ts';
import { oidcEnabled, oidcProblem } from '../../../browser/staff-oidc.ts';

/** Where to go after signing in: the page that sent the person here, if it is on this site, else their home page on the hub. */
export function nextPage(search: string, kind: 'admin' | 'lead'): string {
  const next = new URLSearchParams(search).get('next');
  if (next && /^\/(?![/\\])/.test(next)) return next;
  return kind === 'admin' ? '/admin/' : '/lead/staff/';
}

export async function startSignIn(): Promise<void> {
  if (!(await findHub())) {
    showState('no-hub');
    return;
  }
  const me = await signedInStaff().catch(() => undefined);
  if (me) {
    for (const element of document.querySelectorAll('[data-staff-name]')) element.textContent = me.name;
    const admin = document.querySelector<HTMLElement>('[data-admin-link]');
    if (admin) admin.hidden = me.kind !== 'admin';
    showState('ready');
    return;
  }
  showState('sign-in');
  const signedOut = document.querySelector<HTMLElement>('[data-signed-out-message]');
  if (signedOut) signedOut.hidden = !new URLSearchParams(location.search).has('signed-out');
  const problem = oidcProblem(location.search);
  if (problem) showError(new Error(problem));
  document.querySelector('[data-action="sign-in"]')?.addEventListener('click', () => {
    void act(async () => {
      const { challengeId, options } = await hubRequest<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>('/api/staff/sign-in/options', {
        json: {},
      });
      let response;
      try {
        response = await startAuthentication({ optionsJSON: options });
      } catch {
        throw new Error('Signing in with a passkey was cancelled or did not work. Try again, or use another device that holds your passkey.');
      }
      const signedIn = await hubRequest<{ kind: 'admin' | 'lead' }>('/api/staff/sign-in/verify', { json: { challengeId, response } });
      location.assign(nextPage(location.search, signedIn.kind));
    });
  });
  // Set here, not in the page: the address exists only on a hub, and the static build links only to its own files.
  if (await oidcEnabled()) {
    const next = new URLSearchParams(location.search).get('next');
    document.querySelector<HTMLAnchorElement>('[data-oidc-start]')!.href = `/api/staff/oidc/start${next ? `?next=${encodeURIComponent(next)}` : ''}`;
    document.querySelector<HTMLElement>('[data-oidc]')!.hidden = false;
  }
}
