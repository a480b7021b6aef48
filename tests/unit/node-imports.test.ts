import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

// Scripts and benchmarks import src/lib straight into Node, which only strips
// erasable TypeScript: an enum or a parameter property would break them.
it('loads every src/lib folder in plain Node, without a bundler', () => {
  const lib = join(process.cwd(), 'src/lib');
  const entries = readdirSync(lib, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(lib, entry.name, 'index.ts'));
  entries.push(join(lib, 'certificate/checking.ts'), join(lib, 'content/read.ts'));
  const script = entries.map((path) => `await import(${JSON.stringify(path)});`).join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
}, 60_000);
