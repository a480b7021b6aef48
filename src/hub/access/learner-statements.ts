/**
 * A learner's statements on the hub: those they are the actor of, and those
 * their own devices stored (the learner is then the authority). One definition
 * for the learner's download, erasure by an admin and the retention job.
 */
import type { Sql } from '../db/index.ts';
import { agentKey } from '../xapi/agent-key.ts';
import { learnerAgent } from './devices.ts';

/** A learner's agent key: their account on the hub (its public address) named by their person id. */
export const learnerKey = (publicUrl: string, personId: string): string => agentKey(learnerAgent(publicUrl, personId)) as string;

/** Every statement of these agents (agent keys from agent-key.ts), oldest first. */
export async function statementsOf(sql: Sql, keys: readonly string[]): Promise<{ seq: string; body: Record<string, unknown> }[]> {
  return sql.query(
    `select seq::text as seq, body from statement
     where actor_key = any($1::text[]) or authority_key = any($1::text[])
     order by seq`,
    [keys],
  );
}

/** Deletes every statement of these agents with its link rows; returns how many went. */
export async function deleteStatementsOf(tx: Sql, keys: readonly string[]): Promise<number> {
  const seqs = (
    await tx.query<{ seq: string }>('select seq::text as seq from statement where actor_key = any($1::text[]) or authority_key = any($1::text[])', [keys])
  ).map((row) => row.seq);
  if (seqs.length === 0) return 0;
  // Fixed table names; the seqs are a parameter.
  for (const table of ['statement_agent', 'statement_activity', 'statement_ref', 'statement'] as const) {
    await tx.query(`delete from ${table} where seq = any($1::bigint[])`, [seqs]);
  }
  return seqs.length;
}
