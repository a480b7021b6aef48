import { describe, expect, it } from 'vitest';
import { checkStatementLimits, isTimestamp, quizPassed, STATEMENT_LIMITS, validateActor, validateStatement } from '../../../src/lib/xapi/index.ts';
import { actor, modules, siteUrl } from '../../fixtures/learning-record/course.ts';

/** A valid statement to spoil one field at a time. */
const good = (): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify(
      quizPassed({
        actor,
        siteUrl,
        module: modules.safeguarding,
        score: { raw: 4, max: 5 },
        durationSeconds: 300,
        now: new Date('2026-03-02T10:15:30.000Z'),
        id: '0d5a3c2e-8f1b-4c7d-9e2a-6b4f1d3c5a7e',
      }),
    ),
  );

type Spoil = (statement: Record<string, any>) => void;

describe('validateStatement accepts', () => {
  it.each<[string, Spoil]>([
    ['our quiz statement', () => {}],
    ['no id (an LRS assigns one)', (s) => delete s.id],
    ['no timestamp', (s) => delete s.timestamp],
    ['an agent identified by mbox', (s) => (s.actor = { mbox: 'mailto:sian@example.org' })],
    ['an agent identified by mbox_sha1sum', (s) => (s.actor = { mbox_sha1sum: 'ebd31e95054c018b10727ccffd2ef2ec3a016ee9' })],
    ['an agent identified by openid', (s) => (s.actor = { openid: 'https://openid.example.org/sian' })],
    ['an anonymous group with members', (s) => (s.actor = { objectType: 'Group', member: [{ mbox: 'mailto:a@example.org' }] })],
    ['an identified group without members', (s) => (s.actor = { objectType: 'Group', account: { homePage: siteUrl, name: 'team-7' } })],
    ['a timestamp with an offset', (s) => (s.timestamp = '2026-06-01T10:15:30.123+01:00')],
    [
      '2.0 context agents and groups',
      (s) => {
        s.context.contextAgents = [
          { objectType: 'contextAgent', agent: { mbox: 'mailto:coach@example.org' }, relevantTypes: ['https://example.org/types/coach'] },
        ];
        s.context.contextGroups = [{ objectType: 'contextGroup', group: { objectType: 'Group', member: [{ mbox: 'mailto:a@example.org' }] } }];
      },
    ],
    ['a leap day', (s) => (s.timestamp = '2028-02-29T00:00:00Z')],
    ['a negative scaled score', (s) => (s.result.score = { scaled: -0.5 })],
    ['a score exactly at min and max', (s) => (s.result.score = { scaled: 1, raw: 5, min: 0, max: 5 })],
    ['a StatementRef object', (s) => (s.object = { objectType: 'StatementRef', id: '5e0a1c2d-3b4f-4a6e-8d7c-9b0a1f2e3d4c' })],
    ['an agent as object', (s) => (s.object = { objectType: 'Agent', mbox: 'mailto:lead@example.org' })],
    ['a single context activity (xAPI 1.0 style)', (s) => (s.context.contextActivities.parent = { id: `${siteUrl}/modules/x` })],
    ['version 1.0.3', (s) => (s.version = '1.0.3')],
    ['a non-ASCII name', (s) => (s.actor.name = '李雷')],
    [
      'a SubStatement',
      (s) =>
        (s.object = {
          objectType: 'SubStatement',
          actor: { mbox: 'mailto:a@example.org' },
          verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
          object: { id: `${siteUrl}/x` },
        }),
    ],
  ])('%s', (_name, spoil) => {
    const statement = good();
    spoil(statement);
    const result = validateStatement(statement);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});

describe('validateStatement rejects', () => {
  it.each<[string, Spoil, string]>([
    ['no actor', (s) => delete s.actor, 'actor'],
    ['no verb', (s) => delete s.verb, 'verb'],
    ['no object', (s) => delete s.object, 'object'],
    ['a non-UUID id', (s) => (s.id = 'statement-1'), 'id'],
    ['a UUID with a bad variant', (s) => (s.id = '0d5a3c2e-8f1b-4c7d-1e2a-6b4f1d3c5a7e'), 'id'],
    ['an actor with no identifier', (s) => (s.actor = { objectType: 'Agent', name: 'Siân' }), 'actor'],
    ['an actor with two identifiers', (s) => (s.actor.mbox = 'mailto:sian@example.org'), 'actor'],
    ['an mbox without mailto:', (s) => (s.actor = { mbox: 'sian@example.org' }), 'actor.mbox'],
    ['a bad mbox_sha1sum', (s) => (s.actor = { mbox_sha1sum: 'abc' }), 'actor.mbox_sha1sum'],
    ['an account without a name', (s) => (s.actor = { account: { homePage: siteUrl } }), 'actor.account.name'],
    ['an account with a relative homePage', (s) => (s.actor.account.homePage = '/learning'), 'actor.account.homePage'],
    ['an unknown actor objectType', (s) => (s.actor.objectType = 'Person'), 'actor.objectType'],
    ['an anonymous group without members', (s) => (s.actor = { objectType: 'Group' }), 'actor.member'],
    ['a group inside a group', (s) => (s.actor = { objectType: 'Group', member: [{ objectType: 'Group', member: [] }] }), 'actor.member[0]'],
    ['a relative verb id', (s) => (s.verb.id = 'passed'), 'verb.id'],
    ['a verb id with a space', (s) => (s.verb.id = 'http://adlnet.gov/expapi/verbs/pa ssed'), 'verb.id'],
    ['a verb display that is a string', (s) => (s.verb.display = 'passed'), 'verb.display'],
    ['a verb display with a bad language tag', (s) => (s.verb.display = { 'english!': 'passed' }), 'verb.display.english!'],
    ['an activity id without a scheme', (s) => (s.object.id = 'learning.brookfield.example.org/modules/x'), 'object.id'],
    ['an activity type that is not an IRI', (s) => (s.object.definition.type = 'assessment'), 'object.definition.type'],
    ['an unknown object type', (s) => (s.object.objectType = 'Course'), 'object.objectType'],
    ['a StatementRef without a UUID', (s) => (s.object = { objectType: 'StatementRef', id: '42' }), 'object.id'],
    ['an unknown interactionType', (s) => (s.object.definition.interactionType = 'essay'), 'object.definition.interactionType'],
    ['scaled above 1', (s) => (s.result.score.scaled = 1.2), 'result.score.scaled'],
    ['scaled below -1', (s) => (s.result.score.scaled = -1.01), 'result.score.scaled'],
    ['raw above max', (s) => (s.result.score.raw = 6), 'result.score.raw'],
    ['raw below min', (s) => (s.result.score.raw = -1), 'result.score.raw'],
    ['max not above min', (s) => (s.result.score = { scaled: 0, min: 5, max: 5 }), 'result.score.max'],
    ['a score that is text', (s) => (s.result.score.scaled = '0.8'), 'result.score.scaled'],
    ['success that is text', (s) => (s.result.success = 'yes'), 'result.success'],
    ['a duration in minutes', (s) => (s.result.duration = '5 minutes'), 'result.duration'],
    ['an empty duration', (s) => (s.result.duration = 'PT'), 'result.duration'],
    ['a result extension key that is not an IRI', (s) => (s.result.extensions = { progress: 1 }), 'result.extensions.progress'],
    ['a timestamp without a time', (s) => (s.timestamp = '2026-03-02'), 'timestamp'],
    ['a timestamp on 30 February', (s) => (s.timestamp = '2026-02-30T10:00:00Z'), 'timestamp'],
    ['a timestamp at 25 o’clock', (s) => (s.timestamp = '2026-03-02T25:00:00Z'), 'timestamp'],
    ['a timestamp in words', (s) => (s.timestamp = 'yesterday'), 'timestamp'],
    ['a bad registration', (s) => (s.context.registration = 'reg-1'), 'context.registration'],
    ['a bad context language', (s) => (s.context.language = 'English (UK)'), 'context.language'],
    ['a context extension key that is not an IRI', (s) => (s.context.extensions = { version: '1.0' }), 'context.extensions.version'],
    [
      'platform when the object is an agent',
      (s) => {
        s.object = { objectType: 'Agent', mbox: 'mailto:lead@example.org' };
        s.context.platform = 'web';
      },
      'context.platform',
    ],
    ['a context activity without an id', (s) => (s.context.contextActivities.parent = [{ objectType: 'Activity' }]), 'context.contextActivities.parent[0].id'],
    ['an unknown top-level property', (s) => (s.score = 5), 'score'],
    ['an unknown result property', (s) => (s.result.passed = true), 'result.passed'],
    ['an unknown xAPI version', (s) => (s.version = '0.95'), 'version'],
    [
      'a nested SubStatement',
      (s) => (s.object = { objectType: 'SubStatement', actor: s.actor, verb: s.verb, object: { objectType: 'SubStatement' } }),
      'object.object',
    ],
    [
      'interaction choices without an interactionType',
      (s) => {
        delete s.object.definition.interactionType;
        s.object.definition.choices = [{ id: 'a', description: { en: 'A' } }];
      },
      'object.definition.choices',
    ],
    [
      'an identified group as authority',
      (s) =>
        (s.authority = { objectType: 'Group', mbox: 'mailto:g@example.org', member: [{ mbox: 'mailto:a@example.org' }, { mbox: 'mailto:b@example.org' }] }),
      'authority',
    ],
    [
      'a group of three as authority',
      (s) =>
        (s.authority = { objectType: 'Group', member: [{ mbox: 'mailto:a@example.org' }, { mbox: 'mailto:b@example.org' }, { mbox: 'mailto:c@example.org' }] }),
      'authority.member',
    ],
    ['a timestamp with the unknown offset -00:00', (s) => (s.timestamp = '2026-03-02T10:15:30-00:00'), 'timestamp'],
    ['a duration mixing weeks and days', (s) => (s.result.duration = 'P4W1D'), 'result.duration'],
    [
      'a 2.0 context agent without its objectType',
      (s) => (s.context.contextAgents = [{ agent: { mbox: 'mailto:a@example.org' } }]),
      'context.contextAgents[0].objectType',
    ],
    [
      'a 2.0 context group that is an agent',
      (s) => (s.context.contextGroups = [{ objectType: 'contextGroup', group: { mbox: 'mailto:a@example.org' } }]),
      'context.contextGroups[0].group',
    ],
    [
      'an attachment without a hash',
      (s) =>
        (s.attachments = [
          { usageType: 'http://adlnet.gov/expapi/attachments/signature', display: { en: 'sig' }, contentType: 'application/octet-stream', length: 10 },
        ]),
      'attachments[0].sha2',
    ],
  ])('%s', (_name, spoil, field) => {
    const statement = good();
    spoil(statement);
    const result = validateStatement(statement);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((problem) => problem.field)).toContain(field);
  });

  it.each([null, 'a statement', 42, []])('a statement that is not an object: %j', (value) => {
    expect(validateStatement(value)).toEqual({ ok: false, problems: [{ field: '', reason: 'a statement must be a JSON object' }] });
  });

  it('reports every problem with a reason a person can act on', () => {
    expect(validateStatement({ id: 'x', actor: { name: 'Siân' }, verb: { id: 'passed' }, timestamp: 'soon' })).toMatchInlineSnapshot(`
      {
        "ok": false,
        "problems": [
          {
            "field": "id",
            "reason": "must be a UUID such as "0d5a3c2e-8f1b-4c7d-9e2a-6b4f1d3c5a7e"",
          },
          {
            "field": "actor",
            "reason": "has no identifier: an agent needs one of mbox, mbox_sha1sum, openid or account",
          },
          {
            "field": "verb.id",
            "reason": "must be an absolute IRI such as "http://adlnet.gov/expapi/verbs/completed"",
          },
          {
            "field": "object",
            "reason": "is missing: every statement needs an object",
          },
          {
            "field": "timestamp",
            "reason": "must be an ISO 8601 timestamp such as "2026-03-01T09:30:00.000Z"",
          },
        ],
      }
    `);
  });
});

describe('isTimestamp', () => {
  it.each([
    ['2026-03-02T10:15:30.000Z', true],
    ['2026-03-02T10:15:30Z', true],
    ['2026-03-02T10:15Z', true],
    ['2026-03-02T10:15:30.5+0100', true],
    ['2026-03-02T10:15:30-0000', false],
    ['2026-03-02T10:15:30+00:00', true],
    ['2027-02-29T10:00:00Z', false],
    ['2026-13-01T10:00:00Z', false],
    ['2026-03-02 10:15:30', false],
  ])('%s → %s', (text, valid) => {
    expect(isTimestamp(text)).toBe(valid);
  });
});

describe('statement limits', () => {
  const nestedIn = (depth: number): unknown => {
    let value: unknown = 1;
    for (let level = 0; level < depth; level++) value = { a: value };
    return value;
  };
  const extension =
    (value: unknown): Spoil =>
    (s) =>
      (s.result.extensions = { 'https://learning.example.org/x': value });
  // result (2) → extensions (3) → the extension's value (4): a value nested n deep reaches level 3 + n.
  const deepest = STATEMENT_LIMITS.maxDepth - 3;

  it.each<[string, Spoil, string | undefined]>([
    ['nesting at the limit', extension(nestedIn(deepest)), undefined],
    ['nesting one level past it', extension(nestedIn(deepest + 1)), 'is nested more than 32 levels deep'],
    ['10,000 levels of nesting', extension(nestedIn(10_000)), 'is nested more than 32 levels deep'],
    ['a string at the limit', (s) => (s.result.response = 'x'.repeat(STATEMENT_LIMITS.maxStringLength)), undefined],
    [
      'a string one past it',
      (s) => (s.result.response = 'x'.repeat(STATEMENT_LIMITS.maxStringLength + 1)),
      'result.response is a text of 16,385 characters; the limit is 16,384',
    ],
    ['a property name past it', extension({ ['k'.repeat(STATEMENT_LIMITS.maxStringLength + 1)]: 1 }), 'has a property name of 16,385 characters'],
    ['a list at the limit', extension(new Array(STATEMENT_LIMITS.maxArrayLength).fill(0)), undefined],
    ['a list one past it', extension(new Array(STATEMENT_LIMITS.maxArrayLength + 1).fill(0)), 'is a list of 1,001 items; the limit is 1,000'],
    [
      'extensions at the limit',
      (s) => (s.result.extensions = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`https://learning.example.org/x/${i}`, i]))),
      undefined,
    ],
    [
      'one extension too many',
      (s) => (s.result.extensions = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`https://learning.example.org/x/${i}`, i]))),
      'result.extensions has 65 extensions; the limit is 64',
    ],
    [
      'an object with too many properties',
      extension(Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`k${i}`, i]))),
      'has 257 properties; the limit is 256',
    ],
    ['a statement over 64 KB', extension(Array.from({ length: 8 }, () => 'y'.repeat(9_000))), 'is larger than the limit of 64 KB of JSON text'],
    [
      'a __proto__ key',
      (s) => Object.defineProperty(s.result, '__proto__', { value: { polluted: true }, enumerable: true }),
      'result.__proto__ is not a property name a statement may use',
    ],
  ])('%s', (_name, spoil, reason) => {
    const statement = good();
    spoil(statement);
    const problems = checkStatementLimits(statement);
    if (reason === undefined) {
      expect(problems).toEqual([]);
      expect(validateStatement(statement).ok).toBe(true);
    } else {
      expect(problems.map((problem) => `${problem.field} ${problem.reason}`.trim()).join('; ')).toContain(reason);
      // Beyond a limit, the statement is refused with that reason alone: nothing else looked inside it.
      expect(validateStatement(statement)).toEqual({ ok: false, problems });
    }
  });

  it('never recurses: a value nested a million deep is measured without overflowing the stack', () => {
    expect(checkStatementLimits(JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`))).toEqual([
      { field: '[0]'.repeat(32), reason: 'is nested more than 32 levels deep' },
    ]);
  });
});

describe('validateActor', () => {
  it('accepts an agent with one identifier and names problems from the given path', () => {
    expect(validateActor({ objectType: 'Agent', account: { homePage: 'https://learning.example.org', name: 'a1' } }, 'agent')).toEqual([]);
    expect(validateActor({ name: 'No identifier' }, 'agent')).toEqual([{ field: 'agent', reason: expect.stringContaining('has no identifier') }]);
    expect(validateActor({ mbox: 'someone@example.org' }, 'agent')).toEqual([{ field: 'agent.mbox', reason: expect.stringContaining('mailto:') }]);
    expect(validateActor(true, 'agent')).toEqual([{ field: 'agent', reason: expect.stringContaining('Agent or Group') }]);
  });
});
