/**
 * The one statement validator: rejects what the xAPI specification says an LRS
 * must reject, with a reason per field. @xapi/xapi only types statements; this
 * checks them, so nothing malformed enters a record, an import or a certificate.
 * @see https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Data.md#24-statement-properties
 */
import type { Statement } from '@xapi/xapi';
import { isIsoDuration } from './duration.ts';

/** One thing wrong with a statement. */
export interface StatementProblem {
  /** Path inside the statement. @example "result.score.scaled" */
  field: string;
  reason: string;
}

export type StatementValidation = { ok: true; statement: Statement } | { ok: false; problems: StatementProblem[] };

type Json = Record<string, unknown>;
type Report = (field: string, reason: string) => void;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** An absolute IRI: a scheme, a colon, then no spaces. */
const iriPattern = /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i;
const languageTagPattern = /^[a-z]{2,8}(?:-[a-z0-9]{1,8})*$/i;
const timestampPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const sha1Pattern = /^[0-9a-f]{40}$/i;
const interactionTypes = new Set(['true-false', 'choice', 'fill-in', 'long-fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric', 'other']);

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether `value` is an RFC 4122 UUID such as "3f2b…-4…". */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && uuidPattern.test(value);
}

/** Whether `value` is an absolute IRI with a scheme, as xAPI ids must be. */
export function isIri(value: unknown): value is string {
  return typeof value === 'string' && iriPattern.test(value);
}

/** Whether `value` is an ISO 8601 timestamp with a real calendar date and time. */
export function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = timestampPattern.exec(value);
  if (!match) return false;
  // RFC 3339 reserves "-00:00" for an unknown offset, which xAPI does not allow.
  if (/^-00:?00$/.test(match[7] ?? '')) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && !Number.isNaN(Date.parse(value));
}

/**
 * How large and deep one statement may be. xAPI sets no limits, so an LRS picks
 * its own; these are far above anything a learning activity records (this
 * site's largest statement, a SubStatement-free quiz answer with context, is
 * under 2 KB and 6 levels deep) and far below what could stall a browser or
 * overflow the stack of code that walks a statement recursively (saving,
 * comparing, canonical JSON). Checked by {@link checkStatementLimits} before
 * anything else looks inside a statement.
 */
export const STATEMENT_LIMITS = Object.freeze({
  /** Deepest nesting of objects and arrays, the statement itself being level 1. A SubStatement with extensions holding objects is about 10. */
  maxDepth: 32,
  /** Largest statement, measured as the length of its JSON text. @example 65536 (64 KiB) */
  maxStatementLength: 65_536,
  /** Longest single string, key or value (a long-fill-in answer, a description). */
  maxStringLength: 16_384,
  /** Most items in one array (context activities, interaction choices, group members). */
  maxArrayLength: 1_000,
  /** Most keys in one object; language maps and plain objects stay far below it. */
  maxObjectKeys: 256,
  /** Most keys in one `extensions` object. */
  maxExtensions: 64,
  /** Most statements in one file or one request (a year of daily learning is about 5,000). */
  maxStatementsPerFile: 50_000,
});

/** The limits {@link checkJsonLimits} applies; {@link STATEMENT_LIMITS} for a statement. */
export interface JsonLimits {
  maxDepth: number;
  /** Largest value, as the length of its JSON text. */
  maxStatementLength: number;
  maxStringLength: number;
  maxArrayLength: number;
  maxObjectKeys: number;
  maxExtensions: number;
}

/**
 * Measures a parsed JSON value without recursion and returns the first limit
 * it breaks, with where, or undefined when it is within them all. Stops at the
 * first problem, so a hostile value costs no more than the limits allow. Also
 * refuses the key "__proto__", which JavaScript treats as the object's prototype.
 */
export function checkJsonLimits(value: unknown, limits: JsonLimits): StatementProblem | undefined {
  // Paths are only spelled out for a problem: each entry points at its parent.
  interface Entry {
    value: unknown;
    depth: number;
    parent: Entry | undefined;
    key: string | number;
  }
  const fieldOf = (entry: Entry | undefined): string => {
    const parts: string[] = [];
    for (let at = entry; at?.parent; at = at.parent) parts.push(typeof at.key === 'number' ? `[${at.key}]` : `.${at.key}`);
    return parts.reverse().join('').replace(/^\./, '');
  };
  const pending: Entry[] = [{ value, depth: 1, parent: undefined, key: '' }];
  let length = 0;
  while (pending.length > 0) {
    const entry = pending.pop()!;
    const next = entry.value;
    if (typeof next === 'string') {
      if (next.length > limits.maxStringLength) {
        return {
          field: fieldOf(entry),
          reason: `is a text of ${next.length.toLocaleString('en-GB')} characters; the limit is ${limits.maxStringLength.toLocaleString('en-GB')}`,
        };
      }
      length += next.length + 2;
    } else if (typeof next === 'object' && next !== null) {
      if (entry.depth > limits.maxDepth) return { field: fieldOf(entry), reason: `is nested more than ${limits.maxDepth} levels deep` };
      if (Array.isArray(next)) {
        if (next.length > limits.maxArrayLength) {
          return {
            field: fieldOf(entry),
            reason: `is a list of ${next.length.toLocaleString('en-GB')} items; the limit is ${limits.maxArrayLength.toLocaleString('en-GB')}`,
          };
        }
        length += 2 + next.length;
        for (let index = 0; index < next.length; index++) pending.push({ value: next[index] as unknown, depth: entry.depth + 1, parent: entry, key: index });
      } else {
        const keys = Object.keys(next);
        const extensions = entry.key === 'extensions';
        const most = extensions ? limits.maxExtensions : limits.maxObjectKeys;
        if (keys.length > most)
          return {
            field: fieldOf(entry),
            reason: `has ${keys.length.toLocaleString('en-GB')} ${extensions ? 'extensions' : 'properties'}; the limit is ${most}`,
          };
        length += 2;
        for (const key of keys) {
          const child: Entry = { value: (next as Json)[key], depth: entry.depth + 1, parent: entry, key };
          if (key === '__proto__') return { field: fieldOf(child), reason: 'is not a property name a statement may use' };
          if (key.length > limits.maxStringLength) {
            return {
              field: fieldOf(entry),
              reason: `has a property name of ${key.length.toLocaleString('en-GB')} characters; the limit is ${limits.maxStringLength.toLocaleString('en-GB')}`,
            };
          }
          length += key.length + 4;
          pending.push(child);
        }
      }
    } else {
      length += 8;
    }
    if (length > limits.maxStatementLength)
      return { field: '', reason: `is larger than the limit of ${Math.round(limits.maxStatementLength / 1024)} KB of JSON text` };
  }
  return undefined;
}

/** Checks a statement against {@link STATEMENT_LIMITS} without recursion; an empty list when within them. */
export function checkStatementLimits(value: unknown): StatementProblem[] {
  const problem = checkJsonLimits(value, STATEMENT_LIMITS);
  return problem ? [problem] : [];
}

/**
 * Checks a statement against the xAPI data model; every problem is reported,
 * not just the first. The size and shape limits are checked first, and a
 * statement beyond them is not looked at further.
 */
export function validateStatement(value: unknown): StatementValidation {
  const problems: StatementProblem[] = [];
  const report: Report = (field, reason) => problems.push({ field, reason });
  if (!isObject(value)) return { ok: false, problems: [{ field: '', reason: 'a statement must be a JSON object' }] };
  const beyond = checkStatementLimits(value);
  if (beyond.length > 0) return { ok: false, problems: beyond };
  checkStatement(value, '', report, false);
  return problems.length === 0 ? { ok: true, statement: value as unknown as Statement } : { ok: false, problems };
}

/**
 * Checks an Agent or Group on its own (the `agent` parameter of the document and
 * Agents resources), with the same rules as a statement's actor; fields are named
 * from `at`.
 */
export function validateActor(value: unknown, at: string): StatementProblem[] {
  const problems: StatementProblem[] = [];
  checkActor(value, at, (field, reason) => problems.push({ field, reason }));
  return problems;
}

const statementKeys = ['id', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'stored', 'authority', 'version', 'attachments'];
const subStatementKeys = ['objectType', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'attachments'];

function checkStatement(statement: Json, at: string, report: Report, sub: boolean): void {
  const path = (key: string) => (at ? `${at}.${key}` : key);
  unknownKeys(statement, sub ? subStatementKeys : statementKeys, at, report);
  if (!sub && statement.id !== undefined && !isUuid(statement.id)) report(path('id'), 'must be a UUID such as "0d5a3c2e-8f1b-4c7d-9e2a-6b4f1d3c5a7e"');
  if (statement.actor === undefined) report(path('actor'), 'is missing: every statement needs an actor');
  else checkActor(statement.actor, path('actor'), report);
  if (statement.verb === undefined) report(path('verb'), 'is missing: every statement needs a verb');
  else checkVerb(statement.verb, path('verb'), report);
  if (statement.object === undefined) report(path('object'), 'is missing: every statement needs an object');
  else checkObject(statement.object, path('object'), report, sub);
  if (statement.result !== undefined) checkResult(statement.result, path('result'), report);
  if (statement.context !== undefined) checkContext(statement.context, statement.object, path('context'), report);
  for (const key of sub ? ['timestamp'] : ['timestamp', 'stored']) {
    if (statement[key] !== undefined && !isTimestamp(statement[key])) report(path(key), 'must be an ISO 8601 timestamp such as "2026-03-01T09:30:00.000Z"');
  }
  if (!sub && statement.authority !== undefined) checkAuthority(statement.authority, path('authority'), report);
  if (!sub && statement.version !== undefined && !(typeof statement.version === 'string' && /^(1\.0(\.\d+)?|2\.0(\.\d+)?)$/.test(statement.version))) {
    report(path('version'), 'must be an xAPI version starting "1.0" or "2.0"');
  }
  if (statement.attachments !== undefined) checkAttachments(statement.attachments, path('attachments'), report);
}

/** An authority is an Agent, or (for OAuth) an anonymous Group of exactly two Agents. */
function checkAuthority(authority: unknown, at: string, report: Report): void {
  checkActor(authority, at, report);
  if (!isObject(authority) || authority.objectType !== 'Group') return;
  if (ifiKeys.some((key) => authority[key] !== undefined)) report(at, 'a Group as authority must not have an identifier');
  if (!Array.isArray(authority.member) || authority.member.length !== 2) report(`${at}.member`, 'a Group as authority must have exactly two members');
}

function unknownKeys(value: Json, allowed: readonly string[], at: string, report: Report): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) report(at ? `${at}.${key}` : key, 'is not a property xAPI allows here');
  }
}

const ifiKeys = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;

function checkIdentifiers(actor: Json, at: string, report: Report): number {
  const present = ifiKeys.filter((key) => actor[key] !== undefined);
  for (const key of present) {
    const value = actor[key];
    if (key === 'mbox' && !(typeof value === 'string' && /^mailto:[^\s@]+@[^\s@]+$/.test(value)))
      report(`${at}.mbox`, 'must be an email address written "mailto:name@example.org"');
    if (key === 'mbox_sha1sum' && !(typeof value === 'string' && sha1Pattern.test(value))) report(`${at}.mbox_sha1sum`, 'must be 40 hexadecimal characters');
    if (key === 'openid' && !isIri(value)) report(`${at}.openid`, 'must be an absolute IRI');
    if (key === 'account') {
      if (!isObject(value)) report(`${at}.account`, 'must be an object with homePage and name');
      else {
        unknownKeys(value, ['homePage', 'name'], `${at}.account`, report);
        if (!isIri(value.homePage)) report(`${at}.account.homePage`, 'must be an absolute IRL such as "https://learning.example.org"');
        if (typeof value.name !== 'string' || value.name === '') report(`${at}.account.name`, 'must be a non-empty string');
      }
    }
  }
  if (present.length > 1) report(at, `has ${present.length} identifiers (${present.join(', ')}); an agent or group may have only one`);
  return present.length;
}

function checkActor(actor: unknown, at: string, report: Report): void {
  if (!isObject(actor)) return report(at, 'must be an Agent or Group object');
  if (actor.name !== undefined && typeof actor.name !== 'string') report(`${at}.name`, 'must be a string');
  if (actor.objectType === 'Group') return checkGroup(actor, at, report);
  if (actor.objectType !== undefined && actor.objectType !== 'Agent') return report(`${at}.objectType`, 'must be "Agent" or "Group"');
  unknownKeys(actor, ['objectType', 'name', ...ifiKeys], at, report);
  if (checkIdentifiers(actor, at, report) === 0) report(at, 'has no identifier: an agent needs one of mbox, mbox_sha1sum, openid or account');
}

function checkGroup(group: Json, at: string, report: Report): void {
  unknownKeys(group, ['objectType', 'name', 'member', ...ifiKeys], at, report);
  const identified = checkIdentifiers(group, at, report) > 0;
  if (group.member === undefined) {
    if (!identified) report(`${at}.member`, 'is missing: a group without an identifier must list its members');
    return;
  }
  if (!Array.isArray(group.member)) return report(`${at}.member`, 'must be a list of agents');
  if (!identified && group.member.length === 0) report(`${at}.member`, 'must not be empty for a group without an identifier');
  group.member.forEach((member, index) => {
    if (isObject(member) && member.objectType === 'Group') report(`${at}.member[${index}]`, 'must be an agent: groups cannot contain groups');
    else checkActor(member, `${at}.member[${index}]`, report);
  });
}

function checkLanguageMap(map: unknown, at: string, report: Report): void {
  if (!isObject(map)) return report(at, 'must be a language map such as { "en-GB": "completed" }');
  for (const [tag, text] of Object.entries(map)) {
    if (!languageTagPattern.test(tag)) report(`${at}.${tag}`, 'is not a language tag such as "en-GB"');
    else if (typeof text !== 'string') report(`${at}.${tag}`, 'must be a string');
  }
}

function checkExtensions(extensions: unknown, at: string, report: Report): void {
  if (!isObject(extensions)) return report(at, 'must be an object whose keys are IRIs');
  for (const key of Object.keys(extensions)) {
    if (!isIri(key)) report(`${at}.${String(key)}`, 'extension keys must be absolute IRIs');
  }
}

function checkVerb(verb: unknown, at: string, report: Report): void {
  if (!isObject(verb)) return report(at, 'must be an object with an id');
  unknownKeys(verb, ['id', 'display'], at, report);
  if (!isIri(verb.id)) report(`${at}.id`, 'must be an absolute IRI such as "http://adlnet.gov/expapi/verbs/completed"');
  if (verb.display !== undefined) checkLanguageMap(verb.display, `${at}.display`, report);
}

function checkObject(object: unknown, at: string, report: Report, sub: boolean): void {
  if (!isObject(object)) return report(at, 'must be an Activity, Agent, Group, StatementRef or SubStatement object');
  switch (object.objectType) {
    case undefined:
    case 'Activity':
      return checkActivity(object, at, report);
    case 'Agent':
    case 'Group':
      return checkActor(object, at, report);
    case 'StatementRef':
      return checkStatementRef(object, at, report);
    case 'SubStatement':
      if (sub) return report(at, 'a SubStatement cannot contain another SubStatement');
      return checkStatement(object, at, report, true);
    default:
      return report(`${at}.objectType`, 'must be "Activity", "Agent", "Group", "StatementRef" or "SubStatement"');
  }
}

function checkStatementRef(ref: Json, at: string, report: Report): void {
  unknownKeys(ref, ['objectType', 'id'], at, report);
  if (!isUuid(ref.id)) report(`${at}.id`, 'must be the UUID of the statement referred to');
}

function checkActivity(activity: unknown, at: string, report: Report): void {
  if (!isObject(activity)) return report(at, 'must be an activity object with an id');
  unknownKeys(activity, ['objectType', 'id', 'definition'], at, report);
  if (!isIri(activity.id)) report(`${at}.id`, 'must be an absolute IRI such as "https://learning.example.org/modules/family-hubs"');
  if (activity.definition === undefined) return;
  const definition = activity.definition;
  if (!isObject(definition)) return report(`${at}.definition`, 'must be an object');
  const def = `${at}.definition`;
  unknownKeys(
    definition,
    ['name', 'description', 'type', 'moreInfo', 'extensions', 'interactionType', 'correctResponsesPattern', 'choices', 'scale', 'source', 'target', 'steps'],
    def,
    report,
  );
  if (definition.name !== undefined) checkLanguageMap(definition.name, `${def}.name`, report);
  if (definition.description !== undefined) checkLanguageMap(definition.description, `${def}.description`, report);
  if (definition.type !== undefined && !isIri(definition.type)) report(`${def}.type`, 'must be an absolute IRI');
  if (definition.moreInfo !== undefined && !isIri(definition.moreInfo)) report(`${def}.moreInfo`, 'must be an absolute IRL');
  if (definition.extensions !== undefined) checkExtensions(definition.extensions, `${def}.extensions`, report);
  if (definition.interactionType !== undefined && !interactionTypes.has(definition.interactionType as string)) {
    report(`${def}.interactionType`, `must be one of ${[...interactionTypes].join(', ')}`);
  }
  if (definition.interactionType === undefined) {
    for (const key of ['correctResponsesPattern', 'choices', 'scale', 'source', 'target', 'steps']) {
      if (definition[key] !== undefined) report(`${def}.${key}`, 'is only allowed with an interactionType');
    }
  }
  if (definition.correctResponsesPattern !== undefined) {
    const pattern = definition.correctResponsesPattern;
    if (!Array.isArray(pattern) || !pattern.every((entry) => typeof entry === 'string')) report(`${def}.correctResponsesPattern`, 'must be a list of strings');
  }
  for (const key of ['choices', 'scale', 'source', 'target', 'steps']) {
    const components = definition[key];
    if (components === undefined) continue;
    if (!Array.isArray(components)) {
      report(`${def}.${key}`, 'must be a list of interaction components');
      continue;
    }
    components.forEach((component, index) => {
      const where = `${def}.${key}[${index}]`;
      if (!isObject(component) || typeof component.id !== 'string' || component.id === '') report(where, 'must be an object with a non-empty id');
      else if (component.description !== undefined) checkLanguageMap(component.description, `${where}.description`, report);
    });
  }
}

function checkResult(result: unknown, at: string, report: Report): void {
  if (!isObject(result)) return report(at, 'must be an object');
  unknownKeys(result, ['score', 'success', 'completion', 'response', 'duration', 'extensions'], at, report);
  if (result.score !== undefined) checkScore(result.score, `${at}.score`, report);
  for (const key of ['success', 'completion']) {
    if (result[key] !== undefined && typeof result[key] !== 'boolean') report(`${at}.${key}`, 'must be true or false');
  }
  if (result.response !== undefined && typeof result.response !== 'string') report(`${at}.response`, 'must be a string');
  if (result.duration !== undefined && !(typeof result.duration === 'string' && isIsoDuration(result.duration))) {
    report(`${at}.duration`, 'must be an ISO 8601 duration such as "PT1M30S"');
  }
  if (result.extensions !== undefined) checkExtensions(result.extensions, `${at}.extensions`, report);
}

function checkScore(score: unknown, at: string, report: Report): void {
  if (!isObject(score)) return report(at, 'must be an object');
  unknownKeys(score, ['scaled', 'raw', 'min', 'max'], at, report);
  const number = (key: string): number | undefined => {
    const value = score[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      report(`${at}.${key}`, 'must be a number');
      return undefined;
    }
    return value;
  };
  const [scaled, raw, min, max] = [number('scaled'), number('raw'), number('min'), number('max')];
  if (scaled !== undefined && (scaled < -1 || scaled > 1)) report(`${at}.scaled`, `must be between -1 and 1, not ${scaled}`);
  if (min !== undefined && max !== undefined && min >= max) report(`${at}.max`, `must be greater than min (${min})`);
  if (raw !== undefined && min !== undefined && raw < min) report(`${at}.raw`, `must not be below min (${min})`);
  if (raw !== undefined && max !== undefined && raw > max) report(`${at}.raw`, `must not be above max (${max})`);
}

function checkContext(context: unknown, object: unknown, at: string, report: Report): void {
  if (!isObject(context)) return report(at, 'must be an object');
  unknownKeys(
    context,
    [
      'registration',
      'instructor',
      'team',
      'contextActivities',
      'revision',
      'platform',
      'language',
      'statement',
      'extensions',
      'contextAgents',
      'contextGroups',
    ],
    at,
    report,
  );
  // xAPI 2.0's context agents and groups: who else took part, and how.
  for (const [key, objectType, member] of [
    ['contextAgents', 'contextAgent', 'agent'],
    ['contextGroups', 'contextGroup', 'group'],
  ] as const) {
    const list = context[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      report(`${at}.${key}`, 'must be a list');
      continue;
    }
    list.forEach((entry, index) => {
      const where = `${at}.${key}[${index}]`;
      if (!isObject(entry)) return report(where, 'must be an object');
      unknownKeys(entry, ['objectType', member, 'relevantTypes'], where, report);
      if (entry.objectType !== objectType) report(`${where}.objectType`, `must be "${objectType}"`);
      if (member === 'group' && !(isObject(entry.group) && entry.group.objectType === 'Group')) report(`${where}.group`, 'must be a Group');
      else checkActor(entry[member], `${where}.${member}`, report);
      if (entry.relevantTypes !== undefined && !(Array.isArray(entry.relevantTypes) && entry.relevantTypes.length > 0 && entry.relevantTypes.every(isIri))) {
        report(`${where}.relevantTypes`, 'must be a non-empty list of IRIs');
      }
    });
  }
  if (context.registration !== undefined && !isUuid(context.registration)) report(`${at}.registration`, 'must be a UUID');
  if (context.instructor !== undefined) checkActor(context.instructor, `${at}.instructor`, report);
  if (context.team !== undefined) {
    if (isObject(context.team) && context.team.objectType === 'Group') checkActor(context.team, `${at}.team`, report);
    else report(`${at}.team`, 'must be a Group');
  }
  // Revision and platform describe an activity, so xAPI forbids them when the object is an agent or statement.
  const objectIsActivity = isObject(object) && (object.objectType === undefined || object.objectType === 'Activity');
  for (const key of ['revision', 'platform']) {
    if (context[key] === undefined) continue;
    if (typeof context[key] !== 'string') report(`${at}.${key}`, 'must be a string');
    else if (!objectIsActivity) report(`${at}.${key}`, 'is only allowed when the object is an activity');
  }
  if (context.language !== undefined && !(typeof context.language === 'string' && languageTagPattern.test(context.language))) {
    report(`${at}.language`, 'must be a language tag such as "en-GB"');
  }
  if (context.statement !== undefined) {
    if (isObject(context.statement) && context.statement.objectType === 'StatementRef') checkStatementRef(context.statement, `${at}.statement`, report);
    else report(`${at}.statement`, 'must be a StatementRef');
  }
  if (context.extensions !== undefined) checkExtensions(context.extensions, `${at}.extensions`, report);
  if (context.contextActivities !== undefined) {
    const activities = context.contextActivities;
    if (!isObject(activities)) return report(`${at}.contextActivities`, 'must be an object');
    unknownKeys(activities, ['parent', 'grouping', 'category', 'other'], `${at}.contextActivities`, report);
    for (const key of ['parent', 'grouping', 'category', 'other']) {
      const list = activities[key];
      if (list === undefined) continue;
      // xAPI 1.0 allowed a single activity here; 2.0 requires a list. Accept both, as an LRS does.
      const where = `${at}.contextActivities.${key}`;
      if (Array.isArray(list)) list.forEach((activity, index) => checkActivity(activity, `${where}[${index}]`, report));
      else checkActivity(list, where, report);
    }
  }
}

function checkAttachments(attachments: unknown, at: string, report: Report): void {
  if (!Array.isArray(attachments)) return report(at, 'must be a list');
  attachments.forEach((attachment, index) => {
    const where = `${at}[${index}]`;
    if (!isObject(attachment)) return report(where, 'must be an object');
    unknownKeys(attachment, ['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl'], where, report);
    if (!isIri(attachment.usageType)) report(`${where}.usageType`, 'must be an absolute IRI');
    checkLanguageMap(attachment.display, `${where}.display`, report);
    if (attachment.description !== undefined) checkLanguageMap(attachment.description, `${where}.description`, report);
    if (typeof attachment.contentType !== 'string' || attachment.contentType === '')
      report(`${where}.contentType`, 'must be a media type such as "application/pdf"');
    if (!Number.isInteger(attachment.length) || (attachment.length as number) < 0) report(`${where}.length`, 'must be a whole number of bytes');
    if (typeof attachment.sha2 !== 'string' || !/^[0-9a-f]{56,128}$/i.test(attachment.sha2)) report(`${where}.sha2`, 'must be a SHA-2 hash in hexadecimal');
    if (attachment.fileUrl !== undefined && !isIri(attachment.fileUrl)) report(`${where}.fileUrl`, 'must be an absolute IRL');
  });
}
