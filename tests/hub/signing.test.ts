import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHubCourse } from '../../src/hub/progress/course.ts';
import { listSigningKey, loadSigningKey, publishedKeys, rotateSigningKey, signingKeyFileName } from '../../src/hub/signing/keys.ts';
import { certificateClaimsSchema } from '../../src/lib/certificate/index.ts';
import { generateSigningKey, publicJwkOf, readJwks, signJws, verifyJws, type PrivateJwk } from '../../src/lib/signing/index.ts';
import { quizPassed } from '../../src/lib/xapi/index.ts';
import { drivers, testDatabase } from './support/hub.ts';
import { learnerHub, type LearnerHub } from './support/learners.ts';
import { runHub } from './support/process.ts';

const course = loadHubCourse(process.cwd());
const { siteUrl } = course.site;
// Any council's course: a role whose required items are all modules, so quiz passes complete it.
const role = course.matrix.roles.find((candidate) => candidate.required.every((id) => course.catalogue[id]?.kind === 'module'))!;
const passes = (agent: Record<string, unknown>) =>
  role.required.map((id, index) =>
    quizPassed({
      actor: agent as never,
      siteUrl,
      now: new Date(Date.UTC(2026, 10, 20 + index, 9)),
      module: { id, title: course.catalogue[id]!.title, version: course.catalogue[id]!.version },
      score: { raw: 4, max: 5 },
    }),
  );

type Signed = Awaited<ReturnType<LearnerHub['enrol']>>;

describe.each(drivers)('certificates signed by the hub (%s)', (driver) => {
  let hub: LearnerHub;
  let key: PrivateJwk;
  let ana: Signed;
  const ask = (learner: Signed, json: unknown = { kind: 'role', certificateId: randomUUID() }) =>
    hub.api('/me/certificate-claims', { token: learner.token, json });
  const confirm = (learner: Signed) => hub.db.query("update person set status = 'confirmed' where id = $1", [learner.learner.id]);
  const send = async (learner: Signed, authorization?: string) => {
    const response = await hub.xapi('/statements', { ...(authorization ? { authorization } : { token: learner.token }), json: passes(learner.agent) });
    expect(response.status, await response.clone().text()).toBe(200);
  };

  beforeAll(async () => {
    key = await generateSigningKey();
    hub = await learnerHub(driver, undefined, { course, signingKey: key });
    await listSigningKey(hub.db, key);
    ana = await hub.enrol({ name: 'Siân Llŷr', roleId: role.id });
    await confirm(ana);
    await send(ana);
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('signs the claims of a confirmed learner’s role from what her devices sent, verifiable with the published keys', async () => {
    const certificateId = randomUUID();
    const response = await ask(ana, { kind: 'role', certificateId });
    expect(response.status, await response.clone().text()).toBe(200);
    const { signature, claims } = (await response.json()) as { signature: string; claims: unknown };
    const jwks = readJwks(await (await hub.app.request('/.well-known/jwks.json')).json());
    expect(jwks.keys).toEqual([publicJwkOf(key)]);
    const check = await verifyJws(signature, jwks);
    expect(check.status).toBe('valid');
    const signed = certificateClaimsSchema.parse(check.status === 'valid' ? check.claims : undefined);
    expect(signed).toEqual(claims);
    expect(signed).toMatchObject({
      iss: 'http://hub.test',
      sub: ana.learner.id,
      jti: certificateId,
      kind: 'role',
      council: course.site.council,
      learner: { name: 'Siân Llŷr', organisation: 'Brookfield Libraries', roleName: role.name },
      iat: Math.floor(hub.clock.now.getTime() / 1000),
    });
    expect(signed.requirements.map((requirement) => [requirement.id, requirement.score])).toEqual(role.required.map((id) => [id, 0.8]));
  });

  it('signs a module certificate of one module', async () => {
    const response = await ask(ana, { kind: 'module', moduleId: role.required[0], certificateId: randomUUID() });
    expect(response.status).toBe(200);
    const { claims } = (await response.json()) as { claims: { requirements: { id: string }[] } };
    expect(claims.requirements.map((requirement) => requirement.id)).toEqual([role.required[0]]);
  });

  it('refuses a learner their lead has not confirmed', async () => {
    const waiting = await hub.enrol({ name: 'Ben Awaiting', roleId: role.id });
    await send(waiting);
    const response = await ask(waiting);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: 'your workforce lead has not confirmed your enrolment yet, so the council’s record cannot sign your certificate',
    });
  });

  it('never counts statements that reached the hub with an API key, even about the learner', async () => {
    const carol = await hub.enrol({ name: 'Carol Handed-In', roleId: role.id });
    await confirm(carol);
    await send(carol, hub.keyAuth);
    const refused = await ask(carol);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({
      error: 'the council’s record does not yet hold every required item of your role as complete: what this device has not sent yet is not there',
      where: 'kind',
    });
    await send(carol);
    expect((await ask(carol)).status).toBe(200);
  });

  it('signs only the caller’s own claims: there is no way to name another learner', async () => {
    const dan = await hub.enrol({ name: 'Dan Nothing-Yet', roleId: role.id });
    await confirm(dan);
    // Ana's record is complete; Dan's is empty, and asking as Dan gives Dan's.
    expect((await ask(dan)).status).toBe(409);
    for (const field of ['personId', 'learnerId', 'agent', 'sub']) {
      const response = await ask(dan, { kind: 'role', certificateId: randomUUID(), [field]: ana.learner.id });
      expect(response.status, field).toBe(400);
    }
    const noToken = await hub.api('/me/certificate-claims', { json: { kind: 'role', certificateId: randomUUID() } });
    expect(noToken.status).toBe(401);
  });

  it('refuses a request it cannot read, naming the field', async () => {
    expect(await (await ask(ana, { kind: 'role', certificateId: 'not-a-uuid' })).json()).toEqual({
      error: 'certificateId must be a UUID',
      where: 'certificateId',
    });
    expect(await (await ask(ana, { kind: 'module', certificateId: randomUUID() })).json()).toEqual({
      error: 'a module certificate needs moduleId',
      where: 'moduleId',
    });
  });
});

describe('the signing key', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-keys-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('with PGlite is made on first use in the data directory, readable only by its owner, and the same afterwards', async () => {
    const dataDir = tempDir();
    const first = await loadSigningKey({ dataDir });
    expect(statSync(join(dataDir, signingKeyFileName)).mode & 0o777).toBe(0o600);
    expect(await loadSigningKey({ dataDir })).toEqual(first);
  });

  it('is required with DATABASE_URL', async () => {
    await expect(loadSigningKey({ dataDir: tempDir(), databaseUrl: 'postgres://db.example.org/hub' })).rejects.toThrow(
      'HUB_SIGNING_KEY must be set when DATABASE_URL is: every hub process on the database must sign certificates with the same key. Make one with `npm run hub -- signing-key new` and set it in the environment of each hub process.',
    );
    const key = await generateSigningKey();
    expect(await loadSigningKey({ dataDir: tempDir(), databaseUrl: 'postgres://db.example.org/hub', signingKey: JSON.stringify(key) })).toEqual(key);
  });

  it('is rotated without breaking what the old key signed', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    const db = await testDatabase('pglite');
    try {
      const old = await loadSigningKey({ dataDir });
      const oldSignature = await signJws({ name: 'Siân' }, old);
      const { key } = await rotateSigningKey(db, { dataDir });
      expect(await loadSigningKey({ dataDir })).toEqual(key);
      const jwks = await publishedKeys(db);
      expect(jwks.keys.map((listed) => listed.kid).sort()).toEqual([old.kid, key.kid].sort());
      expect((await verifyJws(oldSignature, jwks)).status).toBe('valid');
      expect((await verifyJws(await signJws({ name: 'Siân' }, key), jwks)).status).toBe('valid');
    } finally {
      await db.close();
    }
  });

  it('refuses to start a hub on PostgreSQL without one, before touching the database', async () => {
    const refused = await runHub([], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', HUB_SIGNING_KEY: '' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('hub: HUB_SIGNING_KEY must be set when DATABASE_URL is');
  });

  // Two PGlite starts, each several seconds on a quiet machine.
  it('is made, listed and rotated from the command line, writing the public keys for the build', { timeout: 240_000 }, async () => {
    const env = { HUB_DATA_DIR: tempDir(), HUB_SIGNING_KEY: '' };
    const ensured = await runHub(['signing-key', 'ensure'], env);
    expect(ensured.code, ensured.stderr).toBe(0);
    const first = readJwks(JSON.parse(readFileSync(join(env.HUB_DATA_DIR, 'jwks.json'), 'utf8')));
    expect(first.keys).toHaveLength(1);
    const rotated = await runHub(['signing-key', 'rotate'], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain(`Key ${first.keys[0]!.kid} stays listed, so certificates signed with it keep verifying.`);
    const after = readJwks(JSON.parse(readFileSync(join(env.HUB_DATA_DIR, 'jwks.json'), 'utf8')));
    expect(after.keys.map((listed) => listed.kid)).toContain(first.keys[0]!.kid);
    expect(after.keys).toHaveLength(2);
  });
});
