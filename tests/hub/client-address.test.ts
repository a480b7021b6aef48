import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, parseTrustProxy, type TrustedProxies } from '../../src/hub/access/client-address.ts';
import { signInLimit } from '../../src/hub/access/staff.ts';
import { configFromEnv } from '../../src/hub/config.ts';
import { drivers } from './support/hub.ts';
import { staffHub, type StaffHub } from './support/staff.ts';

/** The address the hub would count a request by, from a socket address and an X-Forwarded-For header. */
async function addressOf(trust: TrustedProxies | undefined, socket: string, forwardedFor?: string): Promise<string> {
  const app = new Hono().get('/', (c) => c.text(clientAddress(c, trust)));
  const response = await app.request(
    '/',
    { headers: forwardedFor === undefined ? {} : { 'X-Forwarded-For': forwardedFor } },
    { incoming: { socket: { remoteAddress: socket } } },
  );
  return response.text();
}

describe('the client address behind proxies', () => {
  it.each([
    ['no TRUST_PROXY: the socket, whatever the header says', undefined, '203.0.113.5', '198.51.100.1', '203.0.113.5'],
    ['no TRUST_PROXY, IPv4 through a dual-stack socket', undefined, '::ffff:203.0.113.5', undefined, '203.0.113.5'],
    ['one hop: the address the proxy saw', '1', '10.0.0.2', '198.51.100.1', '198.51.100.1'],
    ['one hop: entries the client wrote to the left are ignored', '1', '10.0.0.2', '1.1.1.1, 2.2.2.2, 198.51.100.1', '198.51.100.1'],
    ['two hops: the address the outer proxy saw', '2', '10.0.0.2', '1.1.1.1, 198.51.100.1, 10.0.0.9', '198.51.100.1'],
    ['one hop with no header: the socket', '1', '10.0.0.2', undefined, '10.0.0.2'],
    ['listed proxies: the rightmost address not listed', '10.0.0.0/8, 192.0.2.7', '10.0.0.2', '1.1.1.1, 198.51.100.1, 192.0.2.7', '198.51.100.1'],
    ['listed proxies: a socket that is not a proxy is the client', '10.0.0.0/8', '203.0.113.5', '198.51.100.1', '203.0.113.5'],
    ['listed proxies, IPv6', '2001:db8::/32', '2001:db8::1', '2001:db9::7', '2001:db9::7'],
    ['a proxy that wrote something not an address: the proxy', '1', '10.0.0.2', 'unknown', '10.0.0.2'],
  ])('%s', async (_, setting, socket, forwardedFor, expected) => {
    expect(await addressOf(parseTrustProxy(setting), socket, forwardedFor)).toBe(expected);
  });

  it.each([
    ['0', 'TRUST_PROXY must be a number of proxies from 1 to 10, or their addresses, not "0"'],
    ['10.0.0.0/33', 'TRUST_PROXY: "10.0.0.0/33" is not an address or a range such as "10.0.0.0/8"'],
    ['proxy.example', 'TRUST_PROXY: "proxy.example" is not an address or a range such as "10.0.0.0/8"'],
  ])('refuses TRUST_PROXY=%s naming it', (value, message) => {
    expect(() => configFromEnv({ TRUST_PROXY: value })).toThrow(message);
  });

  it('reads TRUST_PROXY from the environment into the hub’s settings', () => {
    expect(configFromEnv({}).trustProxy).toBeUndefined();
    expect(configFromEnv({ TRUST_PROXY: '1' }).trustProxy).toEqual({ hops: 1 });
    expect(configFromEnv({ TRUST_PROXY: '10.0.0.0/8, ::1' }).trustProxy).toEqual({ proxies: ['10.0.0.0/8', '::1'] });
  });
});

describe.each(drivers)('rate limits behind a proxy on %s', (driver) => {
  let direct: StaffHub;
  let proxied: StaffHub;
  beforeAll(async () => {
    direct = await staffHub(driver);
    proxied = await staffHub(driver, { trustProxy: { hops: 1 } });
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  const signInFrom = (hub: StaffHub, socket: string, forwardedFor: string) =>
    hub.request('/api/staff/sign-in/options', { json: {}, address: socket, headers: { 'X-Forwarded-For': forwardedFor } });

  it('without TRUST_PROXY a client cannot dodge the limit by writing X-Forwarded-For', async () => {
    for (let i = 0; i < signInLimit.limit; i++) expect((await signInFrom(direct, '203.0.113.50', `198.51.100.${i}`)).status).toBe(200);
    expect((await signInFrom(direct, '203.0.113.50', '198.51.100.250')).status).toBe(429);
    // Someone else on another address is not held up.
    expect((await signInFrom(direct, '203.0.113.51', '198.51.100.250')).status).toBe(200);
  });

  it('with TRUST_PROXY each client behind the proxy has its own limit, and writing the header does not reset it', async () => {
    for (let i = 0; i < signInLimit.limit; i++) expect((await signInFrom(proxied, '10.0.0.2', `${i}.0.0.1, 198.51.100.60`)).status).toBe(200);
    expect((await signInFrom(proxied, '10.0.0.2', '9.9.9.9, 198.51.100.60')).status).toBe(429);
    // Another client behind the same proxy still signs in.
    expect((await signInFrom(proxied, '10.0.0.2', '198.51.100.61')).status).toBe(200);
  });
});
