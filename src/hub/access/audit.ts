/**
 * The audit log: what happened on the hub and who did it, for admins to read and
 * download. Entries are never changed; an erasure is recorded without the name of
 * the person erased.
 */
import type { Sql } from '../db/index.ts';

export const auditActions = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'passkey-added',
  'passkey-reset',
  'oidc-linked',
  'admin-created',
  'lead-invited',
  'lead-created',
  'lead-removed',
  'organisation-created',
  'organisation-changed',
  'enrolment-link-created',
  'enrolment-link-revoked',
  'enrolled',
  'enrolment-confirmed',
  'enrolment-refused',
  'device-added',
  'device-revoked',
  'export',
  'erasure',
  'key-created',
  'key-revoked',
  'retention-removal',
  'forwarding-retried',
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditEntry {
  action: AuditAction;
  /** The person who acted; omitted for the hub itself or the command line. */
  actor?: { id: string; name: string } | undefined;
  /** What it was done to, in words an admin can read (an organisation, a device label, a key). */
  subject?: string;
  detail?: Record<string, string | number | boolean | null>;
}

export async function audit(db: Sql, entry: AuditEntry): Promise<void> {
  await db.query('insert into audit_log (actor_id, actor_name, action, subject, detail) values ($1, $2, $3, $4, $5)', [
    entry.actor?.id ?? null,
    entry.actor?.name ?? '',
    entry.action,
    entry.subject ?? '',
    JSON.stringify(entry.detail ?? {}),
  ]);
}

export interface AuditRow {
  seq: number;
  at: string;
  actorName: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
}

/** The newest entries first, `limit` at a time, before `beforeSeq` when paging back. */
export async function readAudit(db: Sql, options: { limit: number; beforeSeq?: number }): Promise<AuditRow[]> {
  const rows = await db.query<{ seq: string | number; at: Date | string; actor_name: string; action: string; subject: string; detail: unknown }>(
    'select seq, at, actor_name, action, subject, detail from audit_log where ($1::bigint is null or seq < $1) order by seq desc limit $2',
    [options.beforeSeq ?? null, options.limit],
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    actorName: row.actor_name,
    action: row.action,
    subject: row.subject,
    detail: (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as Record<string, unknown>,
  }));
}
