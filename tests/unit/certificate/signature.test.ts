import { describe, expect, it } from 'vitest';
import { buildCertificate, claimsOf, verifyCertificate, type CertificateInput } from '../../../src/lib/certificate/index.ts';
import { generateSigningKey, publicJwkOf, readJwks, readPrivateJwk, signJws, toBase64url, verifyJws, type PrivateJwk } from '../../../src/lib/signing/index.ts';
import { loadFontFromNodeModules } from '../../fixtures/certificate/fonts.ts';
import { exampleCertificateInput } from '../../fixtures/certificate/inputs.ts';

const deps = { loadFont: loadFontFromNodeModules };
const signer = { issuer: 'https://hub.brookfield.example.org', subject: '0b6f7a52-2d8e-4c4e-9a55-2f0d1c8b7e11', signedAt: new Date('2026-11-30T10:00:00Z') };
const jwksOf = (...keys: PrivateJwk[]) => ({ keys: keys.map(publicJwkOf) });

/** A certificate signed by `key` over the claims of `signedInput`, carrying `printedInput` (the same unless a test forges one). */
async function signedCertificate(key: PrivateJwk, signedInput: CertificateInput, printedInput: CertificateInput = signedInput) {
  const signature = await signJws(claimsOf(signedInput, signer), key);
  return buildCertificate({ ...printedInput, signature }, deps);
}

describe('JWS signatures with Ed25519', () => {
  it('signs claims that verify with the public key, naming the key by its thumbprint', async () => {
    const key = await generateSigningKey();
    const jws = await signJws({ hello: 'Siân' }, key);
    const [header] = jws.split('.');
    expect(JSON.parse(atob(header!.replace(/-/g, '+').replace(/_/g, '/')))).toEqual({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' });
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await verifyJws(jws, jwksOf(key))).toEqual({ status: 'valid', kid: key.kid, claims: { hello: 'Siân' } });
  });

  it('publishes only the public half of a key', async () => {
    const key = await generateSigningKey();
    expect(publicJwkOf(key)).not.toHaveProperty('d');
    expect(readJwks({ keys: [publicJwkOf(key), { kty: 'RSA', n: 'x', e: 'AQAB', kid: 'rsa' }] })).toEqual({ keys: [publicJwkOf(key)] });
  });

  it('refuses changed claims, a key the verifier does not list and a key of the same id that is not the signer’s', async () => {
    const key = await generateSigningKey();
    const other = await generateSigningKey();
    const jws = await signJws({ name: 'Siân' }, key);
    const [header, , signature] = jws.split('.');
    const changed = `${header}.${toBase64url(new TextEncoder().encode(JSON.stringify({ name: 'Someone else' })))}.${signature}`;
    expect((await verifyJws(changed, jwksOf(key))).status).toBe('bad-signature');
    expect(await verifyJws(jws, jwksOf(other))).toEqual({ status: 'unknown-key', kid: key.kid });
    expect((await verifyJws(jws, { keys: [{ ...publicJwkOf(other), kid: key.kid }] })).status).toBe('bad-signature');
  });

  it.each([
    ['a JWS of two parts', (jws: string) => jws.split('.').slice(0, 2).join('.'), 'the signature does not have three parts'],
    [
      'alg none',
      (jws: string) => `${toBase64url(new TextEncoder().encode('{"alg":"none","kid":"k"}'))}.${jws.split('.')[1]}.`,
      'the signature uses "none", not EdDSA',
    ],
    ['a header that is not JSON', (jws: string) => `bm90IGpzb24.${jws.split('.').slice(1).join('.')}`, 'the signature’s header is not JSON'.replace('’', "'")],
  ])('calls %s malformed', async (_, change, reason) => {
    const key = await generateSigningKey();
    expect(await verifyJws(change(await signJws({ a: 1 }, key)), jwksOf(key))).toEqual({ status: 'malformed', reason });
  });

  it('reads a private key given as a JWK, working out its kid, and refuses one that is wrong', async () => {
    const key = await generateSigningKey();
    const { kid, ...withoutKid } = key;
    expect((await readPrivateJwk(JSON.stringify(withoutKid), 'HUB_SIGNING_KEY')).kid).toBe(kid);
    await expect(readPrivateJwk('secret', 'HUB_SIGNING_KEY')).rejects.toThrow(/^HUB_SIGNING_KEY is not JSON: it must be an Ed25519 private key as a JWK/);
    await expect(readPrivateJwk(JSON.stringify({ ...key, d: undefined }), 'HUB_SIGNING_KEY')).rejects.toThrow(/^HUB_SIGNING_KEY: d /);
    const other = await generateSigningKey();
    await expect(readPrivateJwk(JSON.stringify({ ...key, x: other.x }), 'HUB_SIGNING_KEY')).rejects.toThrow('HUB_SIGNING_KEY: x is not the public key of d');
  });
});

describe('certificates signed by the council’s record', { timeout: 60_000 }, () => {
  it('verifies as recorded by the council on the day it signed', async () => {
    const key = await generateSigningKey();
    const certificate = await signedCertificate(key, exampleCertificateInput());
    const result = await verifyCertificate(certificate.bytes, { keys: jwksOf(key) });
    expect(result.status).toBe('genuine');
    if (result.status !== 'genuine') return;
    expect(result.details.issuer).toEqual({ kind: 'recorded', council: 'Brookfield Council', recordedAt: '2026-11-30T10:00:00.000Z', keyId: key.kid });
  });

  it('still verifies certificates signed with an older key after the key is rotated', async () => {
    const old = await generateSigningKey();
    const certificate = await signedCertificate(old, exampleCertificateInput());
    const current = await generateSigningKey();
    const rotated = jwksOf(current, old);
    expect((await verifyCertificate(certificate.bytes, { keys: rotated })).status).toBe('genuine');
    const newer = await signedCertificate(current, exampleCertificateInput());
    const result = await verifyCertificate(newer.bytes, { keys: rotated });
    expect(result.status === 'genuine' && result.details.issuer).toMatchObject({ kind: 'recorded', keyId: current.kid });
  });

  it('refuses a certificate whose facts differ from what the record signed, even with its check values made again', async () => {
    const key = await generateSigningKey();
    const genuine = exampleCertificateInput();
    const forged = await signedCertificate(key, genuine, { ...genuine, learner: { ...genuine.learner, name: 'Someone Else' } });
    expect(await verifyCertificate(forged.bytes, { keys: jwksOf(key) })).toEqual({
      status: 'edited',
      reason: 'The certificate does not match what Brookfield Council’s learning record signed: the name is different, so it was changed.',
    });
    const requirements = genuine.requirements.map((requirement, index) => (index === 1 ? { ...requirement, score: 1 } : requirement));
    const rescored = await signedCertificate(key, genuine, { ...genuine, requirements });
    const result = await verifyCertificate(rescored.bytes, { keys: jwksOf(key) });
    expect(result.status === 'edited' && result.reason).toMatch(/the score for “Whole family working: seeing the family, not just the problem” is different/);
  });

  it('refuses a certificate signed by a key the site does not list, saying which', async () => {
    const stranger = await generateSigningKey();
    const certificate = await signedCertificate(stranger, exampleCertificateInput());
    const result = await verifyCertificate(certificate.bytes, { keys: jwksOf(await generateSigningKey()) });
    expect(result).toEqual({
      status: 'not-ours',
      reason: `It is signed with a key (${stranger.kid}) that Brookfield Council’s learning record does not list, so this site cannot say the council recorded it. It may come from another council’s site, or the signature was made up.`,
    });
  });

  it('refuses a signature whose claims were changed inside the evidence', async () => {
    const key = await generateSigningKey();
    const other = await generateSigningKey();
    const genuine = exampleCertificateInput();
    // Claims of the right facts under a real header, but signed by someone else's key given the listed kid.
    const [header] = (await signJws(claimsOf(genuine, signer), key)).split('.');
    const [, payload, signature] = (await signJws(claimsOf(genuine, signer), other)).split('.');
    const certificate = await buildCertificate({ ...genuine, signature: `${header}.${payload}.${signature}` }, deps);
    const result = await verifyCertificate(certificate.bytes, { keys: jwksOf(key) });
    expect(result.status === 'edited' && result.reason).toMatch(/^The council’s signature does not match what it signed/);
  });

  it('counts as self-issued where the site has no keys, and unsigned ones always', async () => {
    const key = await generateSigningKey();
    const signed = await signedCertificate(key, exampleCertificateInput());
    const noKeys = await verifyCertificate(signed.bytes, { keys: { keys: [] } });
    expect(noKeys.status === 'genuine' && noKeys.details.issuer).toEqual({ kind: 'self-issued', uncheckedSignature: true });
    const unsigned = await buildCertificate(exampleCertificateInput(), deps);
    const plain = await verifyCertificate(unsigned.bytes, { keys: jwksOf(key) });
    expect(plain.status === 'genuine' && plain.details.issuer).toEqual({ kind: 'self-issued', uncheckedSignature: false });
  });
});
