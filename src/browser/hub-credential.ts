/**
 * The device credential this browser holds for the hub, in localStorage until
 * the learner signs out of this computer. A module of its own, with no imports,
 * so pages that only ask whether the browser is signed in stay light.
 */
/** The credential as this browser keeps it. */
export interface HubCredential {
  token: string;
  deviceId: string;
  learnerId: string;
  shared: boolean;
  /** When a shared computer's credential ends; null otherwise. */
  expires: string | null;
}

/** Where the credential is kept; Base.astro's script checks for it before loading anything of the hub's. */
export const credentialKey = 'fh-hub-device';

/** The credential this browser holds, if any. */
export function readCredential(): HubCredential | undefined {
  try {
    const text = localStorage.getItem(credentialKey);
    if (!text) return undefined;
    const value = JSON.parse(text) as Partial<HubCredential>;
    return typeof value.token === 'string' && typeof value.learnerId === 'string' ? (value as HubCredential) : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets a credential the hub no longer accepts (signed out elsewhere, idle, or past a shared computer's day). */
export function forgetCredential(): void {
  try {
    localStorage.removeItem(credentialKey);
  } catch {
    // Nothing was kept.
  }
}
