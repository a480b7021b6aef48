import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const project = process.cwd();
const root = mkdtempSync(join(tmpdir(), 'fh-build-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('fails `astro build` with the file, the field and the reason when the matrix names a missing module', () => {
  for (const part of ['src', 'astro.config.mjs', 'package.json', 'tsconfig.json']) cpSync(join(project, part), join(root, part), { recursive: true });
  cpSync(join(project, 'tests/fixtures/course'), root, { recursive: true });
  symlinkSync(join(project, 'node_modules'), join(root, 'node_modules'), 'dir');
  const matrix = join(root, 'courses/matrix.yaml');
  writeFileSync(matrix, readFileSync(matrix, 'utf8').replace('[first-steps, keeping-safe]', '[first-steps, safegarding]'));

  const build = spawnSync(join(root, 'node_modules/.bin/astro'), ['build'], { cwd: root, encoding: 'utf8', timeout: 120_000 });

  expect(build.status).not.toBe(0);
  expect(build.stderr).toContain("courses/matrix.yaml: roles[0].required[1]: no module or film 'safegarding'");
}, 120_000);
