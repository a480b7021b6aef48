/**
 * Runs the hub as a real process (`node src/hub/main.ts`), as `npm run hub` does,
 * for the command-line, start-up, kill and two-process tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './global-setup.ts';
import { generateSigningKey } from '../../../src/lib/signing/index.ts';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = fileURLToPath(new URL('../../../src/hub/main.ts', import.meta.url));

export interface HubProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Waits for the process to end (after stop or kill). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Runs a hub command to completion, returning its exit code and output. */
export function runHub(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let sharedSigningKey: Promise<string> | undefined;

/**
 * A hub on PostgreSQL will not start without HUB_SIGNING_KEY: hubs started here share one key,
 * as a council's hub processes on one database do.
 */
async function signingKeyFor(env: Record<string, string>): Promise<Record<string, string>> {
  if (!env.DATABASE_URL || env.HUB_SIGNING_KEY !== undefined) return {};
  return { HUB_SIGNING_KEY: await (sharedSigningKey ??= generateSigningKey().then((key) => JSON.stringify(key))) };
}

/** Starts a hub server on a free port and waits until it listens. */
export async function startHub(env: Record<string, string>): Promise<HubProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: { ...process.env, HUB_SITE_DIR: '', ...(await signingKeyFor(env)), ...env, PORT: String(port), HOST: '127.0.0.1' },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.includes('Hub listening')) resolve();
      else setTimeout(check, 50);
    };
    check();
    void exited.then((code) => reject(new Error(`the hub exited (${code}) before listening:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
