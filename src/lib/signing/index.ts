/**
 * Ed25519 signatures as compact JWS (RFC 7515, `alg: EdDSA` per RFC 8037) and
 * the public keys that check them as a JWK Set, with Web Crypto only, so the
 * same code signs on the hub (Node) and checks in the browser with no library.
 * A key's `kid` is its JWK thumbprint (RFC 7638): the same key always has the same id.
 */
import { z } from 'zod';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

/** An Ed25519 public key as a JWK, with its id. */
export const publicJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: base64url.length(43, 'must be a 32-byte key in base64url (43 characters)'),
  kid: z.string().min(1),
  alg: z.literal('EdDSA').optional(),
  use: z.literal('sig').optional(),
});
export type PublicJwk = z.infer<typeof publicJwkSchema>;

/** An Ed25519 private key as a JWK: the public fields plus `d`, the private part. */
export const privateJwkSchema = publicJwkSchema.extend({
  d: base64url.length(43, 'must be a 32-byte key in base64url (43 characters)'),
});
export type PrivateJwk = z.infer<typeof privateJwkSchema>;

/** A JWK Set: the public keys a verifier trusts. Keys of other kinds are ignored, as RFC 7517 §5 allows. */
export interface Jwks {
  keys: PublicJwk[];
}

/** Reads a JWK Set, keeping only its Ed25519 signing keys. */
export function readJwks(json: unknown): Jwks {
  const keys = typeof json === 'object' && json !== null && 'keys' in json && Array.isArray(json.keys) ? (json.keys as unknown[]) : [];
  return { keys: keys.flatMap((key) => (publicJwkSchema.safeParse(key).success ? [publicJwkSchema.parse(key)] : [])) };
}

const encoder = new TextEncoder();

/** Bytes as base64url without padding. */
export function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padded or not) as bytes. @throws SignatureFormatError when it is not base64url */
export function fromBase64url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new SignatureFormatError('a part of the signature is not base64url');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
}

/** Thrown when a JWS is not in the form this code writes; the message says which part. */
export class SignatureFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignatureFormatError';
  }
}

/** The RFC 7638 thumbprint of an Ed25519 public key: SHA-256 over its required members in order. */
export async function thumbprintOf(x: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })));
  return toBase64url(new Uint8Array(digest));
}

/** A new Ed25519 key pair, as a private JWK whose kid is its thumbprint. */
export async function generateSigningKey(): Promise<PrivateJwk> {
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  if (!jwk.x || !jwk.d) throw new Error('Web Crypto exported an Ed25519 key without its x or d');
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, kid: await thumbprintOf(jwk.x), alg: 'EdDSA', use: 'sig' };
}

/** The public half of a key, safe to publish. */
export function publicJwkOf(key: PrivateJwk | PublicJwk): PublicJwk {
  return { kty: 'OKP', crv: 'Ed25519', x: key.x, kid: key.kid, alg: 'EdDSA', use: 'sig' };
}

/**
 * Checks a private key given by a person (an environment variable or a file):
 * valid JSON, an Ed25519 JWK with `d` and `x`, and `kid` set to its thumbprint
 * when missing. @throws Error naming `where` and what is wrong
 */
export async function readPrivateJwk(text: string, where: string): Promise<PrivateJwk> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${where} is not JSON: it must be an Ed25519 private key as a JWK, such as {"kty":"OKP","crv":"Ed25519","x":"…","d":"…"}`);
  }
  const withKid = typeof json === 'object' && json !== null && !('kid' in json) && 'x' in json ? { ...json, kid: await thumbprintOf(String(json.x)) } : json;
  const parsed = privateJwkSchema.safeParse(withKid);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `${where}: ${issue.path.join('.') || 'the key'} ${issue.message}. It must be an Ed25519 private key as a JWK with kty "OKP", crv "Ed25519", x and d`,
    );
  }
  // A key whose x is not the public half of its d would sign what nothing can verify.
  const probe = encoder.encode('probe');
  let matches = false;
  try {
    const signature = await crypto.subtle.sign('Ed25519', await importPrivate(parsed.data), probe);
    matches = await crypto.subtle.verify('Ed25519', await importPublic(parsed.data), signature, probe);
  } catch {
    // Node refuses to import such a key at all; browsers sign and fail to verify.
  }
  if (!matches) throw new Error(`${where}: x is not the public key of d; export the key again whole`);
  return parsed.data;
}

const importPrivate = (key: PrivateJwk) =>
  crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: key.x, d: key.d }, { name: 'Ed25519' }, false, ['sign']);
const importPublic = (key: PublicJwk) => crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: key.x }, { name: 'Ed25519' }, false, ['verify']);

/** Signs `claims` (a JSON object) as a compact JWS with the key's kid in its header. */
export async function signJws(claims: Record<string, unknown>, key: PrivateJwk): Promise<string> {
  const header = toBase64url(encoder.encode(JSON.stringify({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })));
  const payload = toBase64url(encoder.encode(JSON.stringify(claims)));
  const signature = await crypto.subtle.sign('Ed25519', await importPrivate(key), encoder.encode(`${header}.${payload}`));
  return `${header}.${payload}.${toBase64url(new Uint8Array(signature))}`;
}

/** What checking a JWS found. */
export type JwsCheck =
  | { status: 'valid'; kid: string; claims: Record<string, unknown> }
  /** Signed with a key the verifier does not list. */
  | { status: 'unknown-key'; kid: string }
  /** The signature does not match the header and claims: something was changed. */
  | { status: 'bad-signature'; kid: string }
  | { status: 'malformed'; reason: string };

function decodeJson(part: string, what: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64url(part)));
  } catch {
    throw new SignatureFormatError(`the signature's ${what} is not JSON`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new SignatureFormatError(`the signature's ${what} is not a JSON object`);
  return json as Record<string, unknown>;
}

/** Checks a compact JWS against the keys given: EdDSA only, the key named by its kid. */
export async function verifyJws(jws: string, jwks: Jwks): Promise<JwsCheck> {
  try {
    const parts = jws.split('.');
    if (parts.length !== 3) throw new SignatureFormatError('the signature does not have three parts');
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    const header = decodeJson(headerPart, 'header');
    // Only EdDSA: a verifier that follows the header's alg can be made to accept "none".
    if (header.alg !== 'EdDSA') throw new SignatureFormatError(`the signature uses ${JSON.stringify(header.alg)}, not EdDSA`);
    if (typeof header.kid !== 'string' || header.kid === '') throw new SignatureFormatError('the signature does not name its key (kid)');
    const claims = decodeJson(payloadPart, 'claims');
    const signature = fromBase64url(signaturePart);
    const key = jwks.keys.find((candidate) => candidate.kid === header.kid);
    if (!key) return { status: 'unknown-key', kid: header.kid };
    const good =
      signature.length === 64 &&
      (await crypto.subtle.verify('Ed25519', await importPublic(key), signature as Uint8Array<ArrayBuffer>, encoder.encode(`${headerPart}.${payloadPart}`)));
    return good ? { status: 'valid', kid: header.kid, claims } : { status: 'bad-signature', kid: header.kid };
  } catch (error) {
    if (error instanceof SignatureFormatError) return { status: 'malformed', reason: error.message };
    throw error;
  }
}
