/**
 * Comparing statements as the spec says (ignoring what the LRS sets) and
 * returning them in the formats a client may ask for: exact, ids, canonical.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#statement-comparision-requirements
 */
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const timestampLike = /^\d{4}-\d{2}-\d{2}T/;

/** A comparable form: LRS-set fields dropped, single context activities listed, UUIDs lower case, instants normalised, keys sorted. */
function comparable(value: unknown, key = '', top = true): unknown {
  if (Array.isArray(value)) return value.map((item) => comparable(item, '', false));
  if (isObject(value)) {
    const out: Json = {};
    for (const name of Object.keys(value).sort()) {
      if (top && (name === 'stored' || name === 'authority' || name === 'version')) continue;
      let child = value[name];
      if (key === 'contextActivities' && !Array.isArray(child)) child = [child];
      out[name] = comparable(child, name, false);
    }
    return out;
  }
  if (typeof value === 'string') {
    if ((key === 'id' || key === 'registration') && uuidLike.test(value)) return value.toLowerCase();
    if (key === 'timestamp' && timestampLike.test(value) && !Number.isNaN(Date.parse(value))) return instant(value);
    // Durations are compared to the hundredth of a second (xAPI 2.0, Data 4.6).
    if (key === 'duration')
      return value.replace(/(\d+)(?:\.(\d+))?S$/, (_, whole: string, fraction?: string) => `${whole}.${(fraction ?? '').slice(0, 2).padEnd(2, '0')}S`);
  }
  return value;
}

/** Milliseconds plus any finer digits, so "…00.1Z" and "…00.100+00:00" are the same instant. */
function instant(text: string): string {
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  return `${Date.parse(text)}.${fraction.slice(3).replace(/0+$/, '')}`;
}

/** Whether two statements are the same statement, as far as the spec requires. */
export function sameStatement(a: unknown, b: unknown): boolean {
  return JSON.stringify(comparable(a)) === JSON.stringify(comparable(b));
}

export type Format = 'exact' | 'ids' | 'canonical';

/** Agents and groups reduced to their identifier (anonymous groups keep their members, reduced). */
function agentIds(agent: unknown): unknown {
  if (!isObject(agent)) return agent;
  const out: Json = { objectType: agent.objectType ?? 'Agent' };
  for (const key of ['mbox', 'mbox_sha1sum', 'openid', 'account']) if (agent[key] !== undefined) out[key] = agent[key];
  if (agent.objectType === 'Group' && Array.isArray(agent.member) && Object.keys(out).length === 1) out.member = agent.member.map(agentIds);
  return out;
}

function objectIds(object: Json): Json {
  if (object.objectType === 'Agent' || object.objectType === 'Group') return agentIds(object) as Json;
  if (object.objectType === 'StatementRef') return object;
  if (object.objectType === 'SubStatement') return statementIds(object);
  return { id: object.id };
}

function statementIds(statement: Json): Json {
  const out: Json = { ...statement, actor: agentIds(statement.actor), verb: { id: (statement.verb as Json).id }, object: objectIds(statement.object as Json) };
  if (statement.authority !== undefined) out.authority = agentIds(statement.authority);
  if (isObject(statement.context)) {
    const context: Json = { ...statement.context };
    if (context.instructor !== undefined) context.instructor = agentIds(context.instructor);
    if (context.team !== undefined) context.team = agentIds(context.team);
    if (isObject(context.contextActivities)) {
      context.contextActivities = Object.fromEntries(
        Object.entries(context.contextActivities).map(([usage, list]) => [usage, (list as Json[]).map((activity) => ({ id: activity.id }))]),
      );
    }
    out.context = context;
  }
  return out;
}

/** The languages a client prefers, best first, from Accept-Language. */
export function preferredLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { tag: (tag ?? '').trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.tag !== '' && entry.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((entry) => entry.tag);
}

const languageMapKeys = new Set(['display', 'name', 'description']);

/** Keeps one language per language map: the first the client prefers that is present, else the first there. */
function canonical(value: unknown, languages: readonly string[], key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item, languages));
  if (!isObject(value)) return value;
  if (languageMapKeys.has(key) && Object.values(value).every((text) => typeof text === 'string')) {
    const tags = Object.keys(value);
    const pick =
      languages
        .map(
          (wanted) =>
            tags.find((tag) => tag.toLowerCase() === wanted.toLowerCase()) ?? tags.find((tag) => tag.toLowerCase().startsWith(`${wanted.toLowerCase()}-`)),
        )
        .find(Boolean) ?? tags[0];
    return pick === undefined ? {} : { [pick]: value[pick] };
  }
  const out: Json = {};
  for (const [name, child] of Object.entries(value)) out[name] = name === 'extensions' ? child : canonical(child, languages, name);
  return out;
}

export function formatStatement(statement: Json, format: Format, languages: readonly string[]): Json {
  if (format === 'ids') return statementIds(statement);
  if (format === 'canonical') return canonical(statement, languages) as Json;
  return statement;
}
