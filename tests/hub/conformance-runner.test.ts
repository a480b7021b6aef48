/**
 * `npm run test:conformance` when ADL's suite is not where it looks: it must say
 * plainly where to get it, and refuse options it does not know, without starting a hub.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/conformance.mjs', import.meta.url));
const runner = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [script, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });

describe('the conformance runner', () => {
  it('says where to get the suite when it is missing', () => {
    const result = runner([], { LRS_CONFORMANCE_SUITE: '/nowhere/lrs-conformance-test-suite' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('LRS_CONFORMANCE_SUITE is set to /nowhere/lrs-conformance-test-suite');
    expect(result.stderr).toContain('git clone https://github.com/adlnet/lrs-conformance-test-suite.git');
  });

  it('refuses a database or xAPI version it cannot run', () => {
    expect(runner(['--db', 'mysql'], {}).stderr).toContain('--db must be pglite, postgres or both');
    expect(runner(['--xapi', '0.95'], {}).stderr).toContain('--xapi must be 1.0.3 or 2.0.0');
  });
});
