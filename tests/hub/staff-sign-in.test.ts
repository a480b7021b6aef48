import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite, inviteLimit, signInLimit } from '../../src/hub/access/staff.ts';
import { softPasskey } from './support/authenticator.ts';
import { drivers } from './support/hub.ts';
import { acceptInvite, firstAdmin, newLead, newOrganisation, sessionCookieFrom, signInWith, staffHub, type StaffHub } from './support/staff.ts';

describe.each(drivers)('staff sign-in with passkeys on %s', (driver) => {
  let hub: StaffHub;
  beforeAll(async () => {
    hub = await staffHub(driver);
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('makes the first admin from a one-time link, with an HttpOnly, Secure, SameSite=Lax session cookie', async () => {
    const { url } = await createInvite(hub.db, hub.config.publicUrl, { kind: 'admin', name: 'Ngozi Okafor' }, hub.clock.now);
    expect(url).toMatch(/^https:\/\/learning\.example\.org\/staff\/join\/#[A-Za-z0-9_-]{43}$/);
    const passkey = softPasskey();
    const token = new URL(url).hash.slice(1);
    const started = await hub.request('/api/staff/join/options', { json: { token } });
    const { challengeId, options } = (await started.json()) as { challengeId: string; options: { challenge: string; rp: { id: string } } };
    expect(options.rp.id).toBe('learning.example.org');
    const joined = await hub.request('/api/staff/join/verify', { json: { token, challengeId, response: passkey.register(options, hub.config.publicUrl) } });
    expect(joined.status).toBe(200);
    const setCookie = joined.headers.getSetCookie().find((line) => line.startsWith('fh_staff_session='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Secure/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const me = await hub.request('/api/staff/me', { headers: { Cookie: sessionCookieFrom(joined)! } });
    expect(await me.json()).toMatchObject({ kind: 'admin', name: 'Ngozi Okafor' });
    // The table keeps only hashes: neither the invite token nor the session id is stored.
    const stored = JSON.stringify(await hub.db.query('select * from staff_invite')) + JSON.stringify(await hub.db.query('select * from staff_session'));
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(sessionCookieFrom(joined)!.split('=')[1]);

    const again = await hub.request('/api/staff/join/options', { json: { token } });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ where: 'token' });
  });

  it('refuses an invite past its expiry, and a challenge answered twice', async () => {
    const { url } = await createInvite(hub.db, hub.config.publicUrl, { kind: 'admin', name: 'Late Larry' }, hub.clock.now);
    const token = new URL(url).hash.slice(1);
    hub.clock.advanceMinutes(24 * 60 + 1);
    try {
      expect((await hub.request('/api/staff/join/options', { json: { token } })).status).toBe(404);
    } finally {
      hub.clock.advanceMinutes(-(24 * 60 + 1));
    }
    const admin = await firstAdmin(hub, 'Twice Tam');
    const started = await hub.request('/api/staff/sign-in/options', { json: {} });
    const { challengeId, options } = (await started.json()) as { challengeId: string; options: { challenge: string; rpId: string } };
    const answer = admin.passkey.signIn(options, hub.config.publicUrl);
    expect((await hub.request('/api/staff/sign-in/verify', { json: { challengeId, response: answer } })).status).toBe(200);
    const replay = await hub.request('/api/staff/sign-in/verify', { json: { challengeId, response: answer } });
    expect(replay.status).toBe(400);
  });

  it('refuses a challenge answered for another purpose or another invitation', async () => {
    const first = await createInvite(hub.db, hub.config.publicUrl, { kind: 'admin', name: 'First Fola' }, hub.clock.now);
    const second = await createInvite(hub.db, hub.config.publicUrl, { kind: 'admin', name: 'Second Sade' }, hub.clock.now);
    const token = (url: string) => new URL(url).hash.slice(1);
    const started = await hub.request('/api/staff/join/options', { json: { token: token(first.url) } });
    const { challengeId, options } = (await started.json()) as { challengeId: string; options: { challenge: string; rp: { id: string } } };
    const response = softPasskey().register(options, hub.config.publicUrl);
    const crossed = await hub.request('/api/staff/join/verify', { json: { token: token(second.url), challengeId, response } });
    expect(crossed.status).toBe(400);
    expect(await hub.db.query("select 1 from person where name in ('First Fola', 'Second Sade')")).toEqual([]);
    const signIn = (await (await hub.request('/api/staff/sign-in/options', { json: {} })).json()) as { challengeId: string };
    const wrongPurpose = await hub.request('/api/staff/join/verify', { json: { token: token(second.url), challengeId: signIn.challengeId, response } });
    expect(wrongPurpose.status).toBe(400);
  });

  it('signs in with the passkey, replacing the session the browser held', async () => {
    const admin = await firstAdmin(hub, 'Sam Patel');
    const signedIn = await signInWith(hub, admin.passkey, admin.cookie);
    expect(signedIn.status).toBe(200);
    const fresh = sessionCookieFrom(signedIn)!;
    expect(fresh).not.toBe(admin.cookie);
    expect((await hub.request('/api/staff/me', { headers: { Cookie: admin.cookie } })).status).toBe(401);
    expect((await hub.request('/api/staff/me', { headers: { Cookie: fresh } })).status).toBe(200);
  });

  it('refuses a passkey the hub does not know, or a forged signature, and audits the failure', async () => {
    expect((await signInWith(hub, softPasskey())).status).toBe(401);
    const admin = await firstAdmin(hub, 'Forged Fay');
    const started = await hub.request('/api/staff/sign-in/options', { json: {} });
    const { challengeId, options } = (await started.json()) as { challengeId: string; options: { challenge: string; rpId: string } };
    const answer = admin.passkey.signIn({ ...options, challenge: 'c29tZXRoaW5nIGVsc2U' }, hub.config.publicUrl);
    const forged = await hub.request('/api/staff/sign-in/verify', { json: { challengeId, response: answer } });
    expect(forged.status).toBe(401);
    expect(sessionCookieFrom(forged)).toBeUndefined();
    const failures = await hub.db.query("select 1 from audit_log where action = 'sign-in-failed'");
    expect(failures.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a tampered cookie, and ends a session after 30 idle minutes or 12 hours', async () => {
    const admin = await firstAdmin(hub, 'Clock Watcher');
    const tampered = admin.cookie.slice(0, -2) + (admin.cookie.endsWith('AA') ? 'BB' : 'AA');
    expect((await hub.request('/api/staff/me', { headers: { Cookie: tampered } })).status).toBe(401);
    expect((await hub.request('/api/lead/organisations', { headers: { Cookie: tampered } })).status).toBe(401);

    hub.clock.advanceMinutes(29);
    expect((await admin.request('/api/lead/organisations')).status).toBe(200);
    hub.clock.advanceMinutes(31);
    const idle = await admin.request('/api/lead/organisations');
    expect(idle.status).toBe(401);
    expect(await idle.json()).toEqual({ error: 'you are not signed in, or your session has ended: sign in again', where: 'cookie' });

    const busy = await firstAdmin(hub, 'Busy Bee');
    for (let minutes = 0; minutes < 12 * 60; minutes += 25) {
      hub.clock.advanceMinutes(25);
      const answer = await busy.request('/api/lead/organisations');
      if (minutes + 25 < 12 * 60) expect(answer.status).toBe(200);
      else expect(answer.status).toBe(401);
    }
  });

  it('requires the session’s CSRF token on every change made with the cookie', async () => {
    const admin = await firstAdmin(hub, 'Csrf Chidi');
    const missing = await hub.request('/api/admin/organisations', { json: { name: 'Library' }, headers: { Cookie: admin.cookie } });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ where: 'X-CSRF-Token' });
    const other = await firstAdmin(hub, 'Other Olu');
    const forged = await hub.request('/api/admin/organisations', {
      json: { name: 'Library' },
      headers: { Cookie: admin.cookie, 'X-CSRF-Token': other.csrfToken },
    });
    expect(forged.status).toBe(403);
    expect(await hub.db.query("select 1 from organisation where name = 'Library'")).toEqual([]);
    const signOut = await hub.request('/api/staff/sign-out', { json: {}, headers: { Cookie: admin.cookie } });
    expect(signOut.status).toBe(403);
    expect((await admin.request('/api/staff/me')).status).toBe(200);
    expect((await admin.request('/api/admin/organisations', { json: { name: 'Library' } })).status).toBe(201);
  });

  it('signs out: the cookie stops working at once', async () => {
    const admin = await firstAdmin(hub, 'Leaving Lou');
    const out = await admin.request('/api/staff/sign-out', { json: {} });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().join()).toMatch(/fh_staff_session=;/);
    expect((await admin.request('/api/staff/me')).status).toBe(401);
  });

  it('lets a lead add a second passkey and sign in with either', async () => {
    const admin = await firstAdmin(hub, 'Keys Kemi');
    const organisation = await newOrganisation(admin, 'Riverside Library');
    const lead = await newLead(hub, admin, 'Two Keys Tom', [organisation]);
    const second = softPasskey();
    const started = await lead.request('/api/staff/passkeys/options', { json: {} });
    const { challengeId, options } = (await started.json()) as {
      challengeId: string;
      options: { challenge: string; rp: { id: string }; excludeCredentials: { id: string }[] };
    };
    expect(options.excludeCredentials.map((key) => key.id)).toEqual([lead.passkey.id]);
    const added = await lead.request('/api/staff/passkeys/verify', {
      json: { challengeId, response: second.register(options, hub.config.publicUrl), passkeyName: 'Work phone' },
    });
    expect(added.status).toBe(200);
    expect((await signInWith(hub, lead.passkey)).status).toBe(200);
    expect((await signInWith(hub, second)).status).toBe(200);
    const me = (await (await lead.request('/api/staff/me')).json()) as { passkeys: { name: string }[] };
    expect(me.passkeys.map((key) => key.name)).toEqual(['', 'Work phone']);
  });

  it('lets an admin reset a lead’s passkey: old passkeys and sessions stop working, the new link signs them in', async () => {
    const admin = await firstAdmin(hub, 'Reset Rhian');
    const organisation = await newOrganisation(admin, 'Hillside School');
    const lead = await newLead(hub, admin, 'Lost Phone Li', [organisation]);
    const reset = await admin.request(`/api/admin/leads/${lead.id}/reset`, { json: {} });
    expect(reset.status).toBe(201);
    expect((await lead.request('/api/staff/me')).status).toBe(401);
    expect((await signInWith(hub, lead.passkey)).status).toBe(401);
    const back = await acceptInvite(hub, ((await reset.json()) as { url: string }).url);
    expect(back.id).toBe(lead.id);
    const me = (await (await back.request('/api/staff/me')).json()) as { kind: string; organisations: { name: string }[] };
    expect(me).toMatchObject({ kind: 'lead', organisations: [{ name: 'Hillside School' }] });
  });
});

describe('the session cookie on localhost', () => {
  it('sets no Secure flag when the hub runs on localhost (a browser would drop the cookie over http)', async () => {
    const local = await staffHub('pglite', { publicUrl: 'http://localhost:4321' });
    try {
      const { url } = await createInvite(local.db, local.config.publicUrl, { kind: 'admin', name: 'Local Lee' }, local.clock.now);
      const token = new URL(url).hash.slice(1);
      const { challengeId, options } = (await (await local.request('/api/staff/join/options', { json: { token } })).json()) as {
        challengeId: string;
        options: { challenge: string; rp: { id: string } };
      };
      const joined = await local.request('/api/staff/join/verify', {
        json: { token, challengeId, response: softPasskey().register(options, local.config.publicUrl) },
      });
      const setCookie = joined.headers.getSetCookie().find((line) => line.startsWith('fh_staff_session='))!;
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).not.toMatch(/Secure/i);
    } finally {
      await local.close();
    }
  });
});

describe('rate limits on staff sign-in and invites', () => {
  it(`refuses sign-in after ${signInLimit.limit} tries and invites after ${inviteLimit.limit} from one address in a window`, async () => {
    const hub = await staffHub('pglite');
    try {
      for (let i = 0; i < signInLimit.limit; i++) expect((await hub.request('/api/staff/sign-in/options', { json: {} })).status).toBe(200);
      const limited = await hub.request('/api/staff/sign-in/options', { json: {} });
      expect(limited.status).toBe(429);
      expect(((await limited.json()) as { error: string }).error).toMatch(/too many attempts/);
      for (let i = 0; i < inviteLimit.limit; i++) expect((await hub.request('/api/staff/join/options', { json: { token: 'not-a-token' } })).status).toBe(404);
      expect((await hub.request('/api/staff/join/options', { json: { token: 'not-a-token' } })).status).toBe(429);
      hub.clock.advanceMinutes(10);
      expect((await hub.request('/api/staff/sign-in/options', { json: {} })).status).toBe(200);
    } finally {
      await hub.close();
    }
  });
});
