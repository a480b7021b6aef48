/**
 * Sends the queue to the council's LRS: POST /statements in batches, Basic auth,
 * attachments as multipart/mixed. What the LRS acknowledges leaves the queue; a
 * batch it refuses (400, 409, 413) is split in halves until the statements at fault
 * are found, so one bad statement never holds back the rest; anything else (the LRS
 * down, 5xx, a refused key) leaves the batch waiting, with exponential backoff.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#212-post-statements
 */
import type { Database } from '../db/index.ts';
import { attachmentsFor, type AttachmentContent } from '../xapi/statements-store.ts';
import { multipartBody } from '../xapi/statements-attachments.ts';
import type { ForwardConfig } from './config.ts';
import { acknowledge, claimDue, postpone, refuse, releaseClaims, type ClaimedStatement } from './queue.ts';
import { startRepeating, type Repeating } from '../repeating.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface ForwardOptions {
  /** Statements in one POST. */
  batchSize: number;
  /** How long a claim lasts before another process may take the rows (covers a whole pass). */
  leaseMs: number;
  /** Refusals of one statement before it becomes a dead letter. */
  maxRefusals: number;
  /** The first wait after a failure; each further failure of a row doubles it, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long one request may take. */
  timeoutMs: number;
}

export const defaultForwardOptions: ForwardOptions = {
  batchSize: 50,
  leaseMs: 5 * 60_000,
  maxRefusals: 3,
  baseDelayMs: 2_000,
  maxDelayMs: 15 * 60_000,
  timeoutMs: 30_000,
};

/** The LRS's answer to one POST: its status (0 when it could not be reached) and what it said. */
export interface LrsAnswer {
  status: number;
  text: string;
}

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Posts statements (and the attachment content they need) to the LRS; never throws. */
export async function postToLrs(
  config: ForwardConfig,
  fetcher: Fetch,
  statements: readonly Json[],
  attachments: readonly AttachmentContent[],
  timeoutMs: number,
): Promise<LrsAnswer> {
  const headers: Record<string, string> = {
    Authorization: `Basic ${Buffer.from(`${config.key}:${config.secret}`).toString('base64')}`,
    'X-Experience-API-Version': '1.0.3',
  };
  let body: string | Uint8Array<ArrayBuffer>;
  if (attachments.length > 0) {
    const multipart = multipartBody(statements, attachments);
    body = new Uint8Array(multipart.body);
    headers['Content-Type'] = multipart.contentType;
  } else {
    body = JSON.stringify(statements);
    headers['Content-Type'] = 'application/json';
  }
  try {
    const response = await fetcher(`${config.endpoint}statements`, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, text: (await response.text()).slice(0, 1000) };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { status: 0, text: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
}

/** What the LRS gets: the statement as the hub stored it, less `stored`, which the receiving LRS sets. */
function outgoing(statement: ClaimedStatement): Json {
  const { stored: _stored, ...rest } = statement.body;
  return rest;
}

/** The hashes of attachments a statement carries without a fileUrl: their content must travel with it. */
function attachedHashes(body: Json): string[] {
  const hashes: string[] = [];
  for (const part of [body, isObject(body.object) && body.object.objectType === 'SubStatement' ? body.object : undefined]) {
    if (!part || !Array.isArray(part.attachments)) continue;
    for (const attachment of part.attachments as unknown[]) {
      if (isObject(attachment) && attachment.fileUrl === undefined && typeof attachment.sha2 === 'string') hashes.push(attachment.sha2.toLowerCase());
    }
  }
  return hashes;
}

/** A short reason for admins: the status and what the LRS said. */
export function describeAnswer(answer: LrsAnswer): string {
  if (answer.status === 0) return `The LRS could not be reached: ${answer.text}`;
  let said = answer.text.trim();
  try {
    const parsed = JSON.parse(said) as unknown;
    const message = isObject(parsed) ? (parsed.error ?? parsed.message) : undefined;
    if (typeof message === 'string') said = message;
  } catch {
    // Not JSON: the text as it came.
  }
  const prefix = answer.status === 401 || answer.status === 403 ? ' (check FORWARD_LRS_KEY and FORWARD_LRS_SECRET)' : '';
  return `The LRS answered ${answer.status}${prefix}${said ? `: ${said.slice(0, 500)}` : ''}`;
}

/** Whether a batch refused with this status should be split to find the statements at fault. */
const refusesStatements = (status: number) => status === 400 || status === 409 || status === 413;

export interface PassReport {
  claimed: number;
  acknowledged: number;
  /** Refused alone this pass, and of those, moved to the dead letters. */
  refused: number;
  deadLettered: number;
  /** Left waiting because the LRS could not take them now. */
  postponed: number;
}

/** The wait before the next try of a row that has been tried `attempts` times. */
export function backoffMs(attempts: number, options: Pick<ForwardOptions, 'baseDelayMs' | 'maxDelayMs'>): number {
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
}

/**
 * One pass: claims a batch of due rows and sends it, splitting refused batches.
 * Returns what happened; rows left unfinished by a crash wait for their lease to end.
 */
export async function forwardOnce(
  db: Database,
  config: ForwardConfig,
  fetcher: Fetch,
  now: Date,
  options: ForwardOptions = defaultForwardOptions,
): Promise<PassReport> {
  const claimed = await claimDue(db, now, new Date(now.getTime() + options.leaseMs), options.batchSize);
  const report: PassReport = { claimed: claimed.length, acknowledged: 0, refused: 0, deadLettered: 0, postponed: 0 };
  if (claimed.length === 0) return report;
  const content = new Map(
    (
      await attachmentsFor(
        db,
        claimed.flatMap((row) => attachedHashes(row.body)),
      )
    ).map((a) => [a.sha2, a]),
  );
  const retryAt = (rows: readonly ClaimedStatement[]) => new Date(now.getTime() + backoffMs(Math.max(...rows.map((row) => row.attempts)), options));

  // Returns the answer that stopped the pass when the LRS could not take anything now (the rest then waits too).
  const send = async (rows: readonly ClaimedStatement[]): Promise<LrsAnswer | undefined> => {
    const hashes = new Set(rows.flatMap((row) => attachedHashes(row.body)));
    const attachments = [...hashes].flatMap((hash) => content.get(hash) ?? []);
    const answer = await postToLrs(config, fetcher, rows.map(outgoing), attachments, options.timeoutMs);
    if (answer.status >= 200 && answer.status < 300) {
      await acknowledge(
        db,
        rows.map((row) => row.seq),
      );
      report.acknowledged += rows.length;
      return undefined;
    }
    if (refusesStatements(answer.status) && rows.length > 1) {
      const half = Math.ceil(rows.length / 2);
      const [first, second] = [rows.slice(0, half), rows.slice(half)];
      const stopped = await send(first);
      if (stopped) {
        await postpone(
          db,
          second.map((row) => row.seq),
          retryAt(second),
          describeAnswer(stopped),
        );
        report.postponed += second.length;
        return stopped;
      }
      return send(second);
    }
    const [only] = rows;
    // The LRS holds a statement with this id already: it was delivered (perhaps by a send whose answer was lost).
    if (answer.status === 409 && only) {
      await acknowledge(db, [only.seq]);
      report.acknowledged += 1;
      return undefined;
    }
    if (refusesStatements(answer.status) && only) {
      report.refused += 1;
      if (await refuse(db, only, describeAnswer(answer), now, retryAt(rows), options.maxRefusals)) report.deadLettered += 1;
      return undefined;
    }
    await postpone(
      db,
      rows.map((row) => row.seq),
      retryAt(rows),
      describeAnswer(answer),
    );
    report.postponed += rows.length;
    return answer;
  };
  await send(claimed);
  return report;
}

export type Forwarder = Repeating;

/**
 * Runs passes while the hub runs: one every `intervalMs`, and the next at once after a
 * full batch went through. Every hub process runs one; SKIP LOCKED and the lease keep
 * them off each other's rows.
 */
export function startForwarder(
  db: Database,
  config: ForwardConfig,
  options: Partial<ForwardOptions> & { intervalMs?: number; fetch?: Fetch; now?: () => Date; onError?: (error: unknown) => void } = {},
): Forwarder {
  const settings: ForwardOptions = { ...defaultForwardOptions, ...options };
  const fetcher = options.fetch ?? ((url, init) => fetch(url, init));
  const now = options.now ?? (() => new Date());
  const onError = options.onError ?? ((error: unknown) => console.error('hub: forwarding statements failed:', error));
  // PGlite belongs to this process alone, so claims left by a process that died are free at start.
  const ready = db.kind === 'pglite' ? releaseClaims(db, now()).then(() => undefined) : Promise.resolve();
  return startRepeating(
    async () => {
      await ready;
      const report = await forwardOnce(db, config, fetcher, now(), settings);
      // A full batch with nothing put off: more may be waiting.
      return report.claimed === settings.batchSize && report.postponed === 0;
    },
    options.intervalMs ?? 1000,
    onError,
  );
}
