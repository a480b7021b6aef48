/**
 * Where the hub forwards statements: FORWARD_LRS_ENDPOINT, FORWARD_LRS_KEY and
 * FORWARD_LRS_SECRET, all three or none. A mistake stops the hub at start with a
 * message naming the variable, rather than queueing statements it can never send.
 */

export interface ForwardConfig {
  /** The LRS's xAPI base address, ending in "/": statements go to `${endpoint}statements`. */
  endpoint: string;
  /** The Basic auth user name and password the council's LRS gave the hub. */
  key: string;
  secret: string;
}

export class ForwardConfigError extends Error {
  /** The environment variable at fault. */
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ForwardConfigError';
    this.variable = variable;
  }
}

const names = ['FORWARD_LRS_ENDPOINT', 'FORWARD_LRS_KEY', 'FORWARD_LRS_SECRET'] as const;
const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Reads the forwarding settings; undefined when none is set. Throws ForwardConfigError naming the variable at fault. */
export function forwardConfigFromEnv(env: Record<string, string | undefined> = process.env): ForwardConfig | undefined {
  const given = names.filter((name) => (env[name] ?? '').trim() !== '');
  if (given.length === 0) return undefined;
  const missing = names.filter((name) => !given.includes(name));
  if (missing.length > 0) {
    throw new ForwardConfigError(
      missing[0]!,
      `forwarding to the council's LRS needs all of ${names.join(', ')}; ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set`,
    );
  }
  const text = env.FORWARD_LRS_ENDPOINT!.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ForwardConfigError('FORWARD_LRS_ENDPOINT', `"${text}" is not a web address; give the LRS's xAPI address, such as https://lrs.example.org/xapi/`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback.has(url.hostname))) {
    throw new ForwardConfigError(
      'FORWARD_LRS_ENDPOINT',
      `"${text}" must start https:// (the key and secret travel with every request; plain http:// is allowed only to this machine)`,
    );
  }
  if (url.username || url.password)
    throw new ForwardConfigError('FORWARD_LRS_ENDPOINT', 'put the key and secret in FORWARD_LRS_KEY and FORWARD_LRS_SECRET, not in the address');
  if (url.search || url.hash) throw new ForwardConfigError('FORWARD_LRS_ENDPOINT', `"${text}" must not have a ? query or # part: give the xAPI base address`);
  if (/\/statements\/?$/.test(url.pathname)) {
    throw new ForwardConfigError(
      'FORWARD_LRS_ENDPOINT',
      `give the xAPI base address, without "statements" at the end (the hub adds it): ${text.replace(/statements\/?$/, '')}`,
    );
  }
  const key = env.FORWARD_LRS_KEY!.trim();
  if (key.includes(':')) throw new ForwardConfigError('FORWARD_LRS_KEY', 'a Basic auth user name cannot contain ":"');
  return { endpoint: url.href.endsWith('/') ? url.href : `${url.href}/`, key, secret: env.FORWARD_LRS_SECRET! };
}
