/**
 * Secrets the hub hands out (session ids, invite links, challenges): 256 random
 * bits as base64url, kept in the database only as their SHA-256 (the Copenhagen
 * Book: a stolen table must not let anyone sign in).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new random token: 32 bytes, base64url (43 characters). */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** The SHA-256 of a token, hex: what the tables keep. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Compares two strings in constant time (for CSRF tokens). */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(hashToken(given), 'hex');
  const b = Buffer.from(hashToken(expected), 'hex');
  return timingSafeEqual(a, b) && given.length === expected.length;
}
