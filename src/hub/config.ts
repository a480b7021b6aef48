/**
 * The hub's settings, read once from the environment. Every setting has a
 * default that works on a laptop with no set-up.
 */
import { resolve } from 'node:path';
import { parseTrustProxy, type TrustedProxies } from './access/client-address.ts';

export interface HubConfig {
  /** Port to listen on (PORT). */
  port: number;
  /** Address to listen on (HOST); 127.0.0.1 so nothing outside the machine reaches a trial hub. */
  host: string;
  /** PGlite's directory (HUB_DATA_DIR), used when no databaseUrl is given. */
  dataDir: string;
  /** A PostgreSQL server (DATABASE_URL); when set, PGlite is not used. */
  databaseUrl?: string;
  /** Other origins allowed to call /xapi/ from a browser (CORS_ORIGINS, comma-separated). Empty: no CORS. */
  corsOrigins: readonly string[];
  /** Largest request body accepted, in bytes (HUB_BODY_LIMIT). */
  bodyLimit: number;
  /** The built site to serve beside /xapi/ (HUB_SITE_DIR), or undefined to serve none. */
  siteDir?: string;
  /** The folder holding the council's `courses/` (HUB_COURSE_DIR), read at start to derive progress. */
  courseDir: string;
  /** The hub's own address, used as the homePage of the accounts it names as statement authority (HUB_URL). */
  publicUrl: string;
  /**
   * The Ed25519 private key that signs certificates, as a JWK (HUB_SIGNING_KEY); required with databaseUrl.
   * Without it, PGlite keeps a key of its own in dataDir.
   */
  signingKey?: string;
  /** Email reminders (SMTP_URL and SMTP_FROM); undefined when the council has not switched them on. */
  smtp?: SmtpConfig;
  /** The reverse proxies whose X-Forwarded-For the hub believes (TRUST_PROXY); unset: none, the socket's address counts. */
  trustProxy?: TrustedProxies;
  /** The council's OpenID Connect provider for staff sign-in (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET); unset: passkeys only. */
  oidc?: OidcConfig;
}

export interface SmtpConfig {
  /** The mail server. @example "smtps://user:password@smtp.example.gov.uk:465" */
  url: string;
  /** Who emails come from. @example "Family Hub learning <learning@example.gov.uk>" */
  from: string;
}

export interface OidcConfig {
  /** The issuer's address, where /.well-known/openid-configuration is found. */
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** Reads the three OIDC variables: all or none; throws naming what is missing or malformed. */
function oidcFromEnv(env: Record<string, string | undefined>): OidcConfig | undefined {
  const issuer = env.OIDC_ISSUER?.trim() ?? '';
  const clientId = env.OIDC_CLIENT_ID?.trim() ?? '';
  const clientSecret = env.OIDC_CLIENT_SECRET ?? '';
  if (!issuer && !clientId && !clientSecret) return undefined;
  const missing = [!issuer && 'OIDC_ISSUER', !clientId && 'OIDC_CLIENT_ID', !clientSecret && 'OIDC_CLIENT_SECRET'].filter(Boolean);
  if (missing.length > 0) throw new Error(`${missing.join(' and ')} must be set too: sign-in with an identity provider needs all three OIDC_ variables`);
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(`OIDC_ISSUER must be the identity provider's address, such as "https://login.example.gov.uk", not "${issuer}"`);
  }
  if (url.protocol !== 'https:' && !isLoopback(url.hostname)) {
    throw new Error(`OIDC_ISSUER must start "https://" (only an identity provider on this machine may use http), not "${issuer}"`);
  }
  return { issuer, clientId, clientSecret };
}

/** Addresses that never leave this machine. */
export const isLoopback = (hostname: string): boolean => ['localhost', '127.0.0.1', '[::1]'].includes(hostname);

export const defaultBodyLimit = 10 * 1024 * 1024;

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a whole number above 0, not "${text}"`);
  return value;
}

/** Reads the settings from environment variables. Throws naming the variable when one is malformed. */
export function configFromEnv(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): HubConfig {
  const port = positiveInteger('PORT', env.PORT, 4321);
  const host = env.HOST || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start "postgres://" or "postgresql://"');
  }
  const corsOrigins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new Error(`CORS_ORIGINS: "${origin}" is not an origin such as "https://lms.example.org"`);
  }
  const siteDir = env.HUB_SITE_DIR === '' ? undefined : resolve(cwd, env.HUB_SITE_DIR ?? 'dist');
  const config: HubConfig = {
    port,
    host,
    dataDir: resolve(cwd, env.HUB_DATA_DIR || 'data/hub'),
    corsOrigins,
    bodyLimit: positiveInteger('HUB_BODY_LIMIT', env.HUB_BODY_LIMIT, defaultBodyLimit),
    courseDir: resolve(cwd, env.HUB_COURSE_DIR || '.'),
    publicUrl: (env.HUB_URL || `http://localhost:${port}`).replace(/\/$/, ''),
  };
  if (databaseUrl !== undefined) config.databaseUrl = databaseUrl;
  if (env.HUB_SIGNING_KEY) config.signingKey = env.HUB_SIGNING_KEY;
  const smtp = smtpFromEnv(env);
  if (smtp) config.smtp = smtp;
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  if (trustProxy) config.trustProxy = trustProxy;
  const oidc = oidcFromEnv(env);
  if (oidc) config.oidc = oidc;
  if (siteDir !== undefined) config.siteDir = siteDir;
  return config;
}

/** SMTP_URL, SMTP_FROM and HUB_URL together: emails carry links, so they need the hub's public address. */
function smtpFromEnv(env: Record<string, string | undefined>): SmtpConfig | undefined {
  const url = env.SMTP_URL || undefined;
  if (url === undefined) {
    if (env.SMTP_FROM) throw new Error('SMTP_FROM is set but SMTP_URL is not: set SMTP_URL to the mail server, or remove SMTP_FROM');
    return undefined;
  }
  if (!/^smtps?:\/\/[^/\s]+/.test(url))
    throw new Error('SMTP_URL must start "smtp://" or "smtps://", for example smtps://user:password@smtp.example.gov.uk:465');
  const from = env.SMTP_FROM?.trim() ?? '';
  if (!/^[^\r\n]*<?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/.test(from)) {
    throw new Error('SMTP_FROM must be the address emails come from, for example "Family Hub learning <learning@example.gov.uk>"');
  }
  if (!env.HUB_URL)
    throw new Error('HUB_URL must be set when SMTP_URL is: emails link to the hub by its public address, for example https://learning.example.gov.uk');
  return { url, from };
}
