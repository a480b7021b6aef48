/**
 * Signing in with the council's identity provider, on the staff pages: whether
 * the hub offers it, and what each problem the hub sends back (`?problem=oidc-…`)
 * means, in words a lead can act on.
 */

const problems: Record<string, string> = {
  'oidc-off': 'Signing in with your council account is not set up on this hub. Sign in with your passkey.',
  'oidc-unreachable': 'Your council’s sign-in service cannot be reached just now. Try again later, or sign in with your passkey.',
  'oidc-state': 'This sign-in was started in another browser, took longer than 10 minutes, or was already used. Start again.',
  'oidc-refused': 'Your council’s sign-in service did not sign you in. Start again, or sign in with your passkey.',
  'oidc-failed': 'Your council’s sign-in service did not confirm who you are. Start again, or sign in with your passkey.',
  'oidc-unknown':
    'Your council account is not linked to a workforce lead or admin on this hub. Sign in with your passkey and link your account on your staff page, or ask your council’s admin to link it.',
  'oidc-taken': 'That council account is already linked to someone else on this hub. Ask your council’s admin.',
  'oidc-signed-out': 'Your session ended before your council account was linked. Sign in and try again.',
};

/** The message for the problem named in the page's address, if there is one. */
export function oidcProblem(search: string): string | undefined {
  const problem = new URLSearchParams(search).get('problem');
  return problem ? problems[problem] : undefined;
}

/** Whether the hub signs staff in with the council's identity provider. */
export async function oidcEnabled(): Promise<boolean> {
  const response = await fetch('/api/staff/oidc', { headers: { Accept: 'application/json' }, cache: 'no-store' }).catch(() => undefined);
  if (!response?.ok) return false;
  return ((await response.json()) as { enabled?: unknown }).enabled === true;
}
