/**
 * The first step of the hub's banner and sender, imported by Base.astro's script
 * only in a browser signed in to a hub. It imports nothing itself, so that script
 * stays a few bytes on every page: the sender and what it needs come next.
 */
export async function startHubBanner(): Promise<void> {
  const { showBanner } = await import('./hub-sync.ts');
  await showBanner();
}
