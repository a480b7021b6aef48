/**
 * A person's email address for reminders: optional, given by the learner (or
 * lead) themselves, used only once they confirm it by a link sent to it (the
 * token kept as its SHA-256, dead after confirmationHours), and removable at
 * any time — by them, by the "stop these emails" link, or with their record.
 */
import type { Database, Sql } from '../db/index.ts';
import { HubError } from '../xapi/common.ts';
import { hashToken, newToken } from '../access/tokens.ts';
import { confirmationEmail } from './emails.ts';
import type { Mailer } from './mailer.ts';

/** Longest address accepted (RFC 5321's limit on a path). */
export const maxEmailLength = 254;
/** How long a confirmation link works. */
export const confirmationHours = 48;

/** Where an address stands. */
export type EmailState = 'none' | 'unconfirmed' | 'confirmed' | 'not-working';

export interface EmailStatus {
  email: string | null;
  state: EmailState;
  /** What the mail server said when it refused the address ('' otherwise). */
  reason: string;
}

/**
 * Checks an address as typed: trimmed, at most maxEmailLength characters, one @
 * with something before it and a domain with a dot after it, no spaces or
 * control characters. The domain is lower-cased; the part before @ is kept as given.
 */
export function readEmail(value: unknown, where = 'email'): string {
  if (typeof value !== 'string') throw new HubError(400, 'enter your email address', where);
  const email = value.trim().normalize('NFC');
  if (email === '') throw new HubError(400, 'enter your email address', where);
  if (email.length > maxEmailLength) throw new HubError(400, `your email address must be ${maxEmailLength} characters or fewer`, where);
  const match = /^([^\s@<>()[\],;:"\\\p{Cc}]+)@([^\s@<>()[\],;:"\\\p{Cc}]+\.[^\s@<>()[\],;:"\\\p{Cc}.]+)$/u.exec(email);
  if (!match || match[2]!.includes('..') || match[2]!.startsWith('.')) {
    throw new HubError(400, 'enter an email address in the correct format, like name@example.com', where);
  }
  return `${match[1]}@${match[2]!.toLowerCase()}`;
}

const stateOf = (row: { email: string | null; email_confirmed: Date | null; email_refused: Date | null }): EmailState =>
  row.email === null ? 'none' : row.email_refused ? 'not-working' : row.email_confirmed ? 'confirmed' : 'unconfirmed';

/** The person's address and where it stands. */
export async function emailStatus(db: Sql, personId: string): Promise<EmailStatus> {
  const rows = await db.query<{ email: string | null; email_confirmed: Date | null; email_refused: Date | null; email_refused_reason: string }>(
    'select email, email_confirmed, email_refused, email_refused_reason from person where id = $1',
    [personId],
  );
  const row = rows[0];
  if (!row) throw new HubError(404, 'there is no such person on this hub');
  return { email: row.email, state: stateOf(row), reason: row.email_refused ? row.email_refused_reason : '' };
}

/** The SQL condition for a person the hub may email: a confirmed address the server has not refused. */
export const emailable = (alias: string) => `${alias}.email is not null and ${alias}.email_confirmed is not null and ${alias}.email_refused is null`;

/** Where a confirmation link opens; the token is in the fragment so it never reaches a server log. */
export const confirmationUrl = (publicUrl: string, token: string) => `${publicUrl}/email/confirm/#${token}`;

/**
 * Keeps `email` as the person's address, unconfirmed, and sends the link that
 * confirms it. A refusal marks the address as not working; a server that cannot
 * be reached answers 503 (the address stays, unconfirmed, and can be sent again).
 */
export async function giveEmail(
  db: Database,
  mailer: Mailer,
  options: { personId: string; name: string; email: string; council: string; publicUrl: string; now: Date },
): Promise<EmailStatus> {
  const token = newToken();
  await db.transaction(async (tx) => {
    await tx.query("update person set email = $2, email_confirmed = null, email_refused = null, email_refused_reason = '' where id = $1", [
      options.personId,
      options.email,
    ]);
    await tx.query('delete from email_confirmation where person_id = $1', [options.personId]);
    await tx.query('insert into email_confirmation (token_sha256, person_id, email, created, expires) values ($1, $2, $3, $4, $5)', [
      hashToken(token),
      options.personId,
      options.email,
      options.now,
      new Date(options.now.getTime() + confirmationHours * 3_600_000),
    ]);
  });
  const delivery = await mailer.send(
    confirmationEmail({
      to: options.email,
      name: options.name,
      council: options.council,
      link: confirmationUrl(options.publicUrl, token),
      hours: confirmationHours,
    }),
  );
  if (delivery.outcome === 'refused') await markRefused(db, options.personId, options.email, delivery.reason, options.now);
  if (delivery.outcome === 'retry') {
    console.error(`hub: a confirmation email could not be sent yet: ${delivery.reason}`);
    throw new HubError(503, 'the email to confirm your address could not be sent just now: try again in a few minutes', 'email');
  }
  return emailStatus(db, options.personId);
}

/** Marks the address as not working, if it is still the person's address, and cancels what waits to be sent to it. */
export async function markRefused(db: Sql, personId: string, email: string, reason: string, now: Date): Promise<void> {
  await db.query('update person set email_refused = $3, email_refused_reason = $4 where id = $1 and email = $2', [personId, email, now, reason]);
  await db.query("update email_message set status = 'cancelled' where person_id = $1 and status = 'queued'", [personId]);
}

/**
 * Confirms the address a link was sent for, using the link up in the same
 * transaction. 400 when the link is unknown, used, expired, or for an address
 * the person has since changed.
 */
export async function confirmEmail(db: Database, token: unknown, now: Date): Promise<void> {
  const wrong = 'this link has been used, is more than 48 hours old or is not complete: give your email address again to get a new link';
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw new HubError(400, wrong, 'token');
  await db.transaction(async (tx) => {
    const rows = await tx.query<{ person_id: string; email: string; expires: Date }>(
      'delete from email_confirmation where token_sha256 = $1 returning person_id, email, expires',
      [hashToken(token)],
    );
    const link = rows[0];
    if (!link || new Date(link.expires) <= now) throw new HubError(400, wrong, 'token');
    const confirmed = await tx.query('update person set email_confirmed = $3 where id = $1 and email = $2 and email_refused is null returning id', [
      link.person_id,
      link.email,
      now,
    ]);
    if (confirmed.length === 0) throw new HubError(400, wrong, 'token');
  });
}

/** Forgets the person's address: nothing more is sent to it, and nothing waiting is sent. */
export async function removeEmail(db: Database, personId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("update person set email = null, email_confirmed = null, email_refused = null, email_refused_reason = '' where id = $1", [personId]);
    await tx.query('delete from email_confirmation where person_id = $1', [personId]);
    await tx.query("update email_message set status = 'cancelled' where person_id = $1 and status = 'queued'", [personId]);
  });
}

/** The "stop these emails" link: removes the address of the person the email went to. */
export async function stopEmails(db: Database, token: unknown): Promise<void> {
  const wrong = 'this link is not complete or is not recognised: check you copied all of it';
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw new HubError(400, wrong, 'token');
  const rows = await db.query<{ person_id: string }>('select person_id from email_message where stop_sha256 = $1', [hashToken(token)]);
  if (!rows[0]) throw new HubError(400, wrong, 'token');
  await removeEmail(db, rows[0].person_id);
}
