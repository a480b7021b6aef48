/**
 * The reminder job (when SMTP_URL is set): plans, under an advisory lock, each
 * email that is due — a learner's reminder 30 days before an item's renewal day,
 * a lead's weekly summary — as a row that can be planned only once, then sends
 * the queue, each row claimed with FOR UPDATE SKIP LOCKED so that however many
 * hub processes run the job, each email goes once. Only confirmed learners and
 * confirmed addresses the mail server has not refused are emailed.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Sql } from '../db/index.ts';
import { calendarDayIn, formatDay } from '../../lib/dates/index.ts';
import { itemPath } from '../../lib/plan/index.ts';
import type { HubCourse } from '../progress/course.ts';
import { visibleOrganisations } from '../access/lead.ts';
import { hashToken, newToken } from '../access/tokens.ts';
import { emailable, markRefused } from './address.ts';
import { renewalEmail, summaryEmail, type SummaryLine, type WeeklySummary } from './emails.ts';
import type { Email, Mailer } from './mailer.ts';

/** A learner is reminded when an item's renewal day is this many days away or fewer. */
export const reminderDays = 30;
/** Tries of one email before it is given up (the waits between them double from retryMinutes). */
export const maxAttempts = 6;
export const retryMinutes = 30;
/** How often the hub runs the job; each email is still planned once. */
export const reminderIntervalMs = 60 * 60 * 1000;
/** An arbitrary constant naming the reminder job's lock (the migrations use another). */
const reminderLock = 7_301_481_017;

export interface ReminderOptions {
  mailer: Mailer;
  course: HubCourse;
  publicUrl: string;
  now: Date;
}

/** What one run did. */
export interface ReminderReport {
  /** False when another hub process held the lock and planned instead. */
  planned: boolean;
  sent: number;
  refused: number;
  retrying: number;
  failed: number;
}

const addDays = (day: string, days: number): string => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

/** The Monday of the week `day` falls in. */
export const mondayOf = (day: string): string => addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));

/** Plans the emails due today; false when another process holds the lock. */
async function planEmails(db: Database, today: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [lock] = await tx.query<{ locked: boolean }>('select pg_try_advisory_xact_lock($1) as locked', [reminderLock]);
    if (!lock?.locked) return false;
    const due = await tx.query<{ person_id: string; item_id: string; renewal_on: string }>(
      `select li.person_id, li.item_id, to_char(li.renewal_on, 'YYYY-MM-DD') as renewal_on
       from learner_item li join person p on p.id = li.person_id
       where p.kind = 'learner' and p.status = 'confirmed' and ${emailable('p')}
         and li.renewal_on > $1::date and li.renewal_on <= $1::date + $2::int
         and not exists (select 1 from renewal_reminder r where r.person_id = li.person_id and r.item_id = li.item_id and r.renewal_on = li.renewal_on)
       order by li.person_id, li.item_id`,
      [today, reminderDays],
    );
    const byPerson = new Map<string, typeof due>();
    for (const row of due) byPerson.set(row.person_id, [...(byPerson.get(row.person_id) ?? []), row]);
    for (const [personId, items] of byPerson) {
      const [message] = await tx.query<{ id: string }>(
        `insert into email_message (id, person_id, kind, key, next_attempt) values ($1, $2, 'renewal', $3, $4)
         on conflict (person_id, kind, key) do nothing returning id`,
        [randomUUID(), personId, today, now],
      );
      // Already reminded today: what came due since waits for tomorrow's email.
      if (!message) continue;
      for (const item of items) {
        await tx.query('insert into renewal_reminder (person_id, item_id, renewal_on, message_id) values ($1, $2, $3, $4)', [
          personId,
          item.item_id,
          item.renewal_on,
          message.id,
        ]);
      }
    }
    await tx.query(
      `insert into email_message (id, person_id, kind, key, next_attempt)
       select gen_random_uuid(), p.id, 'summary', $1, $2 from person p
       where p.kind = 'lead' and ${emailable('p')} and exists (select 1 from lead_organisation lo where lo.person_id = p.id)
       on conflict (person_id, kind, key) do nothing`,
      [mondayOf(today), now],
    );
    return true;
  });
}

interface Claimed {
  id: string;
  person_id: string;
  kind: 'renewal' | 'summary';
  key: string;
  attempts: number;
}

/** Takes the next email due to be sent, so that no other process sends it. */
async function claimNext(db: Sql, now: Date): Promise<Claimed | undefined> {
  const rows = await db.query<Claimed>(
    `update email_message set status = 'sending', attempts = attempts + 1
     where id = (select id from email_message where status = 'queued' and next_attempt <= $1 order by next_attempt, id limit 1 for update skip locked)
     returning id, person_id, kind, key, attempts`,
    [now],
  );
  return rows[0];
}

const titleOf = (course: HubCourse, itemId: string) => course.catalogue[itemId]?.title ?? itemId;

/** The lead's week: only their organisations' people, chosen in SQL by the organisations they lead. */
export async function weeklySummary(db: Sql, course: HubCourse, leadId: string, today: string): Promise<WeeklySummary> {
  const items = await db.query<{ name: string; organisation: string; item_id: string; completed_on: string | null; renewal_on: string | null }>(
    `select p.name, o.name as organisation, li.item_id, to_char(li.completed_on, 'YYYY-MM-DD') as completed_on, to_char(li.renewal_on, 'YYYY-MM-DD') as renewal_on
     from learner_item li join person p on p.id = li.person_id join organisation o on o.id = p.organisation_id
     where p.kind = 'learner' and p.status = 'confirmed' and p.organisation_id in ${visibleOrganisations('$1')}
       and ((li.completed_on > $2::date - 7 and li.completed_on <= $2::date) or li.renewal_on <= $2::date + $3::int)
     order by lower(p.name), p.id, li.item_id`,
    [leadId, today, reminderDays],
  );
  const people = await db.query<{ name: string; organisation: string; status: string; created: Date; refused: boolean }>(
    `select p.name, o.name as organisation, p.status, p.created, p.email_refused is not null as refused
     from person p join organisation o on o.id = p.organisation_id
     where p.kind = 'learner' and p.organisation_id in ${visibleOrganisations('$1')}
       and (p.status = 'awaiting' or (p.email_refused is not null and p.email is not null))
     order by lower(p.name), p.id`,
    [leadId],
  );
  const line = (row: { name: string; organisation: string }, detail: string): SummaryLine => ({ name: row.name, organisation: row.organisation, detail });
  return {
    weekOf: mondayOf(today),
    completed: items
      .filter((row) => row.completed_on !== null && row.completed_on > addDays(today, -7) && row.completed_on <= today)
      .map((row) => line(row, `${titleOf(course, row.item_id)}, on ${formatDay(row.completed_on!)}`)),
    dueSoon: items
      .filter((row) => row.renewal_on !== null && row.renewal_on > today)
      .map((row) => line(row, `${titleOf(course, row.item_id)}, renew by ${formatDay(row.renewal_on!)}`)),
    expired: items
      .filter((row) => row.renewal_on !== null && row.renewal_on <= today)
      .map((row) => line(row, `${titleOf(course, row.item_id)}, expired on ${formatDay(row.renewal_on!)}`)),
    awaiting: people
      .filter((row) => row.status === 'awaiting')
      .map((row) => line(row, `enrolled on ${formatDay(calendarDayIn(new Date(row.created), course.site.timeZone))}`)),
    notWorking: people.filter((row) => row.status === 'confirmed' && row.refused).map((row) => line(row, 'their mail server refused the address')),
  };
}

/** The words of a claimed email, or undefined when it should no longer go (the address or the person changed). */
async function composeEmail(db: Sql, options: ReminderOptions, message: Claimed, stopLink: string, today: string): Promise<Email | undefined> {
  const [person] = await db.query<{ name: string; email: string; kind: string; status: string }>(
    `select p.name, p.email, p.kind, p.status from person p where p.id = $1 and ${emailable('p')}`,
    [message.person_id],
  );
  if (!person) return undefined;
  const { course, publicUrl } = options;
  const council = course.site.council;
  if (message.kind === 'summary') {
    if (person.kind !== 'lead') return undefined;
    return summaryEmail({
      to: person.email,
      name: person.name,
      council,
      summary: await weeklySummary(db, course, message.person_id, today),
      publicUrl,
      stopLink,
    });
  }
  if (person.kind !== 'learner' || person.status !== 'confirmed') return undefined;
  const items = await db.query<{ item_id: string; renewal_on: string }>(
    "select item_id, to_char(renewal_on, 'YYYY-MM-DD') as renewal_on from renewal_reminder where message_id = $1 order by renewal_on, item_id",
    [message.id],
  );
  if (items.length === 0) return undefined;
  return renewalEmail({
    to: person.email,
    name: person.name,
    council,
    publicUrl,
    stopLink,
    items: items.map((item) => {
      const known = course.catalogue[item.item_id];
      return {
        title: titleOf(course, item.item_id),
        renewalOn: item.renewal_on,
        href: `${publicUrl}${known ? itemPath(known) : '/my-learning/'}`,
      };
    }),
  });
}

/** Where the "stop these emails" link opens; the token is in the fragment, away from server logs. */
export const stopUrl = (publicUrl: string, token: string) => `${publicUrl}/email/stop/#${token}`;

/** Plans what is due and sends every email waiting. */
export async function runReminders(db: Database, options: ReminderOptions): Promise<ReminderReport> {
  const { now } = options;
  const today = calendarDayIn(now, options.course.site.timeZone);
  const report: ReminderReport = { planned: await planEmails(db, today, now), sent: 0, refused: 0, retrying: 0, failed: 0 };
  for (let message = await claimNext(db, now); message; message = await claimNext(db, now)) {
    const stop = newToken();
    const email = await composeEmail(db, options, message, stopUrl(options.publicUrl, stop), today);
    if (!email) {
      await db.query("update email_message set status = 'cancelled' where id = $1", [message.id]);
      continue;
    }
    await db.query('update email_message set stop_sha256 = $2 where id = $1', [message.id, hashToken(stop)]);
    const delivery = await options.mailer.send(email);
    if (delivery.outcome === 'sent') {
      await db.query("update email_message set status = 'sent', sent = $2, last_error = '' where id = $1", [message.id, now]);
      report.sent += 1;
    } else if (delivery.outcome === 'refused') {
      await db.query("update email_message set status = 'refused', last_error = $2 where id = $1", [message.id, delivery.reason]);
      await markRefused(db, message.person_id, email.to, delivery.reason, now);
      report.refused += 1;
    } else if (message.attempts >= maxAttempts) {
      await db.query("update email_message set status = 'failed', last_error = $2 where id = $1", [message.id, delivery.reason]);
      report.failed += 1;
    } else {
      const wait = retryMinutes * 2 ** (message.attempts - 1) * 60_000;
      await db.query("update email_message set status = 'queued', last_error = $2, next_attempt = $3 where id = $1", [
        message.id,
        delivery.reason,
        new Date(now.getTime() + wait),
      ]);
      report.retrying += 1;
    }
  }
  return report;
}
