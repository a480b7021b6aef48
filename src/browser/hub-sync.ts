/**
 * Keeps this browser's record and the hub's in step, for a learner signed in to a
 * hub. Loaded after the page is idle, and only when the browser holds a device
 * credential (see the banner script in Base.astro), so pages without a hub pay nothing.
 *
 * - Sends: every statement the hub has not acknowledged goes in batches of 50
 *   with the device credential, retried with growing waits when offline or when
 *   the hub fails, at once when the browser comes back online. One tab sends at
 *   a time (a Web Lock); the hub accepts a statement it already holds, so a
 *   second send can never store it twice.
 * - Pulls: on each page load, statements the hub stored since the last pull
 *   (from the learner's other devices) come into this record, acknowledged.
 * - Tells: the banner says who is signed in and, in words, where their learning is.
 *
 * A plain fetch client, not @xapi/xapi's: its browser build carries axios (17.5 KB
 * gzip) for two requests this file makes in a few lines (README, "Sending to the hub").
 */
import type { Statement } from '@xapi/xapi';
import {
  batchesOf,
  outcomeOf,
  retryDelay,
  sendBatch,
  syncStatusKind,
  syncStatusWords,
  waitingStatements,
  type PostOutcome,
  type SyncState,
} from '../lib/outbox/index.ts';
import { openHubMarks, type HubMarksStore } from '../lib/record/hub-marks.ts';
import type { RecordStore } from '../lib/record/index.ts';
import { forgetCredential, readCredential, type HubCredential } from './hub-credential.ts';
import { learnerRecord } from './learner.ts';

const xapiHeaders = (credential: HubCredential) => ({
  Authorization: `Bearer ${credential.token}`,
  'X-Experience-API-Version': '1.0.3',
});

/** Posts one batch and reads the answer; a request that never got an answer is offline. */
async function postStatements(credential: HubCredential, batch: readonly Statement[]): Promise<PostOutcome> {
  let response: Response;
  try {
    response = await fetch('/xapi/statements', {
      method: 'POST',
      headers: { ...xapiHeaders(credential), 'Content-Type': 'application/json' },
      body: JSON.stringify(batch),
      cache: 'no-store',
    });
  } catch {
    return { kind: 'retry', reason: 'no connection' };
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string; where?: string };
  return outcomeOf(response.status, body.error, body.where);
}

/** What the tab that sends tells the others, so every tab shows the same state. */
interface SenderNews {
  offline: boolean;
}

/** The state the learner sees, and how it changes. */
export interface SyncView extends SyncState {
  /** The browser refused persistent storage: unsent items could be cleared by the browser. */
  atRisk: boolean;
  signedOut: boolean;
}

let started: Promise<SyncHandle | undefined> | undefined;

/** The running sync of this page. */
export interface SyncHandle {
  /** The current state. */
  view(): Promise<SyncView>;
  /** Sends everything waiting now, once, and says how many are still waiting afterwards. */
  flush(): Promise<number>;
  /** Calls `listener` after every change of state; returns the way to stop. */
  watch(listener: (view: SyncView) => void): () => void;
}

/** Starts keeping the record in step with the hub, once per page; undefined when this browser is not signed in. */
export function startSync(): Promise<SyncHandle | undefined> {
  // Not kept when the browser is not signed in, so signing in later on the same page starts it.
  started ??= openSync().then((handle) => {
    if (!handle) started = undefined;
    return handle;
  });
  return started;
}

async function openSync(): Promise<SyncHandle | undefined> {
  const credential = readCredential();
  if (!credential) return undefined;
  const learner = await learnerRecord();
  const { store } = learner;
  const marks = await openHubMarks('learner');
  const council = document.querySelector<HTMLMetaElement>('meta[name="fh-council"]')?.content ?? 'the council';

  let offline = !navigator.onLine;
  let signedOut = false;
  let atRisk = false;
  const listeners = new Set<(view: SyncView) => void>();
  const view = async (): Promise<SyncView> => {
    const [statements, held] = await Promise.all([store.all(), marks.read()]);
    return { council, waiting: waitingStatements(statements, held).length, refused: held.refused.size, offline, atRisk, signedOut };
  };
  const tell = () => {
    if (listeners.size === 0) return;
    void view().then((current) => {
      for (const listener of [...listeners]) listener(current);
    });
  };
  store.subscribe(tell);
  marks.subscribe(tell);

  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('fh-hub-sync') : undefined;
  channel?.addEventListener('message', (event: MessageEvent<SenderNews>) => {
    if (typeof event.data?.offline !== 'boolean' || event.data.offline === offline) return;
    offline = event.data.offline;
    tell();
  });
  const setOffline = (next: boolean) => {
    if (next === offline) return;
    offline = next;
    channel?.postMessage({ offline } satisfies SenderNews);
    tell();
  };

  // Without persistent storage the browser may clear the record when space runs short, unsent items with it.
  void navigator.storage
    ?.persist?.()
    .then((granted) => {
      atRisk = !granted;
      tell();
    })
    .catch(() => undefined);

  // Wakes the sender: the browser back online, the timer, or (unless it is waiting to retry,
  // when every new statement would otherwise cut the wait short) a change to the record.
  let wake: (() => void) | undefined;
  let retrying = false;
  const nudge = () => {
    const next = wake;
    wake = undefined;
    next?.();
  };
  store.subscribe(() => {
    if (!retrying) nudge();
  });
  window.addEventListener('online', nudge);
  const sleep = (ms: number, retry: boolean) =>
    new Promise<void>((resolve) => {
      retrying = retry;
      const timer = setTimeout(() => nudge(), ms);
      wake = () => {
        clearTimeout(timer);
        retrying = false;
        resolve();
      };
    });

  /** One pass: sends every waiting statement, batch after batch. Returns how it ended. */
  const sendWaiting = async (): Promise<'done' | 'retry' | 'signed-out'> => {
    const waiting = waitingStatements(await store.all(), await marks.read());
    for (const batch of batchesOf(waiting)) {
      const result = await sendBatch(batch, (part) => postStatements(credential, part));
      if (result.acknowledged.length > 0 || result.refused.length > 0) await marks.mark({ acknowledged: result.acknowledged, refused: result.refused });
      if (result.stopped?.kind === 'signed-out') return 'signed-out';
      if (result.stopped) return 'retry';
      setOffline(false);
    }
    return 'done';
  };

  const signOutHere = () => {
    // The hub no longer accepts this browser (signed out from another device, idle, or the end of a
    // shared computer's day). The record stays: the privacy page offers to download or erase it.
    signedOut = true;
    forgetCredential();
    tell();
  };

  // One sending pass at a time in this tab: `flush` and the loop share it.
  let pass: Promise<'done' | 'retry' | 'signed-out'> | undefined;
  const sendOnce = () => {
    pass ??= sendWaiting().finally(() => {
      pass = undefined;
    });
    return pass;
  };

  const run = async () => {
    for (let attempt = 0; !signedOut;) {
      const outcome = await sendOnce();
      if (outcome === 'signed-out') return signOutHere();
      if (outcome === 'retry') {
        setOffline(true);
        attempt += 1;
        await sleep(retryDelay(attempt), true);
      } else {
        attempt = 0;
        await sleep(60_000, false);
      }
    }
  };

  void pullFromHub(credential, store, marks, learner.actor())
    .catch((failure: unknown) => {
      if (failure instanceof SignedOutError) signOutHere();
      else console.error(failure);
    })
    .finally(() => {
      // Web Locks keep two tabs from sending the same batches at once; the lock goes when the tab does.
      if (navigator.locks) void navigator.locks.request('fh-hub-sender', run);
      else void run();
    });

  return {
    view,
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async flush() {
      const outcome = await sendOnce();
      if (outcome === 'signed-out') signOutHere();
      setOffline(outcome === 'retry');
      return (await view()).waiting;
    },
  };
}

/** The hub refused the credential while pulling. */
class SignedOutError extends Error {}

/**
 * Brings the statements the hub stored since the last pull into this record,
 * oldest first, a page at a time, marking each page acknowledged as it lands so a
 * pull cut short resumes where it stopped.
 */
export async function pullFromHub(credential: HubCredential, store: RecordStore, marks: HubMarksStore, agent: unknown): Promise<number> {
  const { validateStatement } = await import('../lib/xapi/index.ts');
  const since = (await marks.read()).pulledUntil;
  const query = new URLSearchParams({ agent: JSON.stringify(agent), ascending: 'true', format: 'exact', limit: '500' });
  if (since) query.set('since', since);
  let next: string | undefined = `/xapi/statements?${query}`;
  let pulled = 0;
  while (next) {
    const response = await fetch(next, { headers: xapiHeaders(credential), cache: 'no-store' });
    if (response.status === 401) throw new SignedOutError('the hub no longer accepts this browser');
    if (!response.ok) throw new Error(`Pulling from the hub: it answered ${response.status}`);
    const page = (await response.json()) as { statements: unknown[]; more?: string };
    const good: Statement[] = [];
    let latest: string | undefined;
    for (const candidate of page.statements) {
      const checked = validateStatement(candidate);
      const stored = (candidate as { stored?: unknown }).stored;
      if (typeof stored === 'string' && (!latest || stored > latest)) latest = stored;
      if (checked.ok && checked.statement.id) good.push(checked.statement);
      else console.error('A statement from the hub is not one this site can keep', candidate);
    }
    if (good.length > 0) await store.append(good);
    await marks.mark({ acknowledged: good.map((statement) => statement.id as string), ...(latest ? { pulledUntil: latest } : {}) });
    pulled += good.length;
    next = page.more || undefined;
  }
  return pulled;
}

/** Fills the banner Base.astro prints: who is signed in, and the status in words, announced once per change. */
export async function showBanner(): Promise<void> {
  const banner = document.querySelector<HTMLElement>('[data-hub-banner]');
  const credential = readCredential();
  if (!banner || !credential) return;
  const handle = await startSync();
  if (!handle) return;
  const who = banner.querySelector<HTMLElement>('[data-hub-who]');
  const words = banner.querySelector<HTMLElement>('[data-sync-words]');
  const announce = document.querySelector<HTMLElement>('[data-sync-announce]');
  const { profile } = await learnerRecord();
  if (who) who.textContent = `Signed in as ${profile?.name ?? 'a learner'}${profile?.organisation ? `, ${profile.organisation}` : ''}.`;
  banner.hidden = false;
  let lastKind: string | undefined;
  const render = (view: SyncView) => {
    if (view.signedOut) {
      if (who) who.textContent = 'This browser is no longer signed in to the hub.';
      if (words) words.textContent = 'Your learning is still in this browser. Download it or erase it on the privacy page.';
      if (announce) announce.textContent = 'This browser is no longer signed in to the hub.';
      banner.querySelector<HTMLElement>('[data-hub-sign-out]')?.setAttribute('hidden', '');
      return;
    }
    const risk = view.atRisk && view.waiting > 0 ? ' This browser may clear them if it runs short of space: stay online until they have gone.' : '';
    const text = syncStatusWords(view) + risk;
    if (words) words.textContent = text;
    // The first state is not news: the banner shows it. A screen reader hears each change of kind once.
    const kind = syncStatusKind(view);
    if (lastKind !== undefined && kind !== lastKind && announce) announce.textContent = text;
    lastKind = kind;
  };
  render(await handle.view());
  handle.watch(render);
}
