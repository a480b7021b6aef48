/**
 * What the hub takes from the council's `courses/site.yaml` about learners (its
 * time zone, for the end of a shared computer's day, and the privacy section's
 * retention periods), and the daily job that removes the records of learners
 * inactive for longer than the council keeps them.
 */
import { deleteStatementsOf, learnerKey } from './learner-statements.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { defaultTimeZone } from '../../lib/dates/index.ts';
import { privacySchema, siteSchema, type Privacy } from '../../lib/content/schema.ts';
import { problemsFromZod, formatProblem } from '../../lib/content/errors.ts';
import type { Database } from '../db/index.ts';
import { audit } from './audit.ts';
import { pruneRateLimits } from './rate-limit.ts';

/** The council's settings the hub applies to learners. */
export interface LearnerSettings {
  /** IANA time zone: a shared computer's credential ends at midnight here. */
  timeZone: string;
  /** Lawful basis, purpose and retention periods, when site.yaml gives them. */
  privacy?: Privacy;
}

/**
 * Reads the settings from `courses/site.yaml` under `root`.
 * @throws Error naming the file and field when the file is missing or wrong.
 */
export function readLearnerSettings(root: string): LearnerSettings {
  const file = 'courses/site.yaml';
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(join(root, file), 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot be read (${(error as Error).message.split('\n')[0] ?? ''}); the hub takes its time zone and retention periods from it`);
  }
  const site = siteSchema.pick({ timeZone: true, privacy: true }).safeParse(raw ?? {});
  if (!site.success) throw new Error(problemsFromZod(file, site.error).map(formatProblem).join('\n'));
  return { timeZone: site.data.timeZone ?? defaultTimeZone, ...(site.data.privacy ? { privacy: privacySchema.parse(site.data.privacy) } : {}) };
}

/** What one run of the retention job removed. */
export interface RetentionReport {
  learners: number;
  statements: number;
  auditEntries: number;
}

const monthsBefore = (now: Date, months: number): Date => {
  const date = new Date(now);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date;
};

/**
 * Removes every learner last active before the retention period (their account,
 * devices, codes, statements, State and Agent Profile documents), and audit
 * entries older than the audit log's period. The audit log records how many were
 * removed, never who.
 */
export async function removeInactiveLearners(db: Database, privacy: Privacy, publicUrl: string, now: Date): Promise<RetentionReport> {
  const report = await db.transaction(async (tx) => {
    const cutoff = monthsBefore(now, privacy.retention.inactiveLearnerMonths);
    const people = await tx.query<{ id: string }>(
      "select id from person where kind = 'learner' and coalesce(last_active, created) < $1 order by id for update",
      [cutoff],
    );
    const ids = people.map((row) => row.id);
    let statements = 0;
    if (ids.length > 0) {
      const keys = ids.map((id) => learnerKey(publicUrl, id));
      statements = await deleteStatementsOf(tx, keys);
      await tx.query('delete from state_document where agent_key = any($1::text[])', [keys]);
      await tx.query('delete from agent_profile_document where agent_key = any($1::text[])', [keys]);
      await tx.query('delete from agent where agent_key = any($1::text[])', [keys]);
      // Devices and one-time codes go with the person (on delete cascade).
      await tx.query('delete from person where id = any($1::uuid[])', [ids]);
      // Audit entries they made keep what happened, not who.
      await tx.query("update audit_log set actor_id = null, actor_name = '', subject = '', detail = '{}'::jsonb where actor_id = any($1::uuid[])", [ids]);
    }
    const old = await tx.query('delete from audit_log where at < $1 returning seq', [monthsBefore(now, privacy.retention.auditLogMonths)]);
    return { learners: ids.length, statements, auditEntries: old.length };
  });
  if (report.learners > 0 || report.auditEntries > 0) {
    await audit(db, {
      action: 'retention-removal',
      detail: { learners: report.learners, statements: report.statements, auditEntries: report.auditEntries, months: privacy.retention.inactiveLearnerMonths },
    });
  }
  return report;
}

/** The hub's daily clean-up: retention (when site.yaml sets it), old rate-limit windows and dead one-time codes. */
export async function dailyCleanUp(db: Database, settings: LearnerSettings, publicUrl: string, now: Date): Promise<RetentionReport | undefined> {
  await pruneRateLimits(db, now);
  await db.query("delete from device_code where expires < $1::timestamptz - interval '1 day'", [now]);
  return settings.privacy ? removeInactiveLearners(db, settings.privacy, publicUrl, now) : undefined;
}
