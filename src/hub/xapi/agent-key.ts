/**
 * One canonical key per agent identity (its inverse functional identifier), used
 * by statements, documents and the Agents resource alike, so "the same agent"
 * means the same thing everywhere.
 */
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The key for an Agent or identified Group: "mbox:mailto:…", "mbox_sha1sum:…",
 * "openid:…" or "account:<homePage> <name>" (JSON-encoded pair). Undefined when the
 * object carries no identifier (an anonymous group).
 */
export function agentKey(agent: unknown): string | undefined {
  if (!isObject(agent)) return undefined;
  if (typeof agent.mbox === 'string') return `mbox:${agent.mbox}`;
  if (typeof agent.mbox_sha1sum === 'string') return `mbox_sha1sum:${agent.mbox_sha1sum.toLowerCase()}`;
  if (typeof agent.openid === 'string') return `openid:${agent.openid}`;
  if (isObject(agent.account) && typeof agent.account.homePage === 'string' && typeof agent.account.name === 'string') {
    return `account:${JSON.stringify([agent.account.homePage, agent.account.name])}`;
  }
  return undefined;
}

/** The identifier alone, as an Agent object (no name): what the agent table keeps. */
export function agentIfi(agent: Json): Json | undefined {
  for (const key of ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const) {
    if (agent[key] !== undefined) return { objectType: agent.objectType === 'Group' ? 'Group' : 'Agent', [key]: agent[key] };
  }
  return undefined;
}
