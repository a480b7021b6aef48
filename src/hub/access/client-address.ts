/**
 * The address a request came from, for rate-limit buckets. Without TRUST_PROXY
 * the hub uses the socket's address and ignores X-Forwarded-For, which any
 * client can write. Behind a reverse proxy or load balancer, TRUST_PROXY names
 * the proxies (a number of hops, or their addresses); the hub then walks
 * X-Forwarded-For from the right, past the proxies it trusts, and takes the first
 * address it does not trust: entries further left were written by the client and
 * prove nothing.
 */
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** Which proxies in front of the hub to believe: how many hops, or their addresses and ranges. */
export type TrustedProxies = { hops: number } | { proxies: readonly string[] };

/** IPv4 written as IPv6 (`::ffff:192.0.2.1`, as a dual-stack socket reports it) back to plain IPv4. */
const plain = (address: string): string => address.trim().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

/**
 * Reads TRUST_PROXY: empty for none, a whole number of hops ("1" for one proxy),
 * or a comma-separated list of addresses and CIDR ranges ("10.0.0.0/8, 192.0.2.7").
 * Throws naming the variable and the entry when one is neither.
 */
export function parseTrustProxy(text: string | undefined): TrustedProxies | undefined {
  const value = text?.trim() ?? '';
  if (value === '') return undefined;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > 10) throw new Error(`TRUST_PROXY must be a number of proxies from 1 to 10, or their addresses, not "${value}"`);
    return { hops };
  }
  const proxies = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of proxies) blockFor([entry]);
  return { proxies };
}

/** A BlockList holding the addresses and ranges; throws naming an entry that is neither. */
function blockFor(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(plain(address));
    const prefix = bits === undefined ? undefined : Number(bits);
    const maxBits = family === 6 ? 128 : 32;
    if (family === 0 || extra !== undefined || (prefix !== undefined && (!/^\d+$/.test(bits!) || prefix > maxBits))) {
      throw new Error(`TRUST_PROXY: "${entry}" is not an address or a range such as "10.0.0.0/8"`);
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(plain(address), type);
    else list.addSubnet(plain(address), prefix, type);
  }
  return list;
}

const blockLists = new WeakMap<object, BlockList>();

function trusts(trust: TrustedProxies, address: string, hop: number): boolean {
  if ('hops' in trust) return hop < trust.hops;
  let list = blockLists.get(trust);
  if (!list) blockLists.set(trust, (list = blockFor(trust.proxies)));
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address: the socket's, or with trusted proxies the rightmost
 * address in X-Forwarded-For that is not a trusted proxy. Requests made
 * in-process (tests through `app.request()` with no socket) share "unknown".
 */
export function clientAddress(c: Context, trust?: TrustedProxies): string {
  let socket: string | undefined;
  try {
    socket = getConnInfo(c).remote.address;
  } catch {
    socket = undefined;
  }
  if (!socket) return 'unknown';
  let client = plain(socket);
  if (!trust) return client;
  // The socket's peer is hop 0; each X-Forwarded-For entry, right to left, is one hop further out.
  const forwarded = (c.req.header('X-Forwarded-For') ?? '').split(',').map(plain).filter(Boolean).reverse();
  for (let hop = 0; hop < forwarded.length && trusts(trust, client, hop); hop++) {
    const next = forwarded[hop]!;
    // A proxy we trust writes addresses; anything else means the chain cannot be read further.
    if (isIP(next) === 0) break;
    client = next;
  }
  return client;
}
