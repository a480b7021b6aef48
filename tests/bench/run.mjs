/**
 * `npm run bench`: runs every tests/bench/*.bench.mjs and prints its figures.
 * Each script exports `run()` returning rows { name, value, unit, baseline?, ratio?, target? };
 * a baseline is measured in the same run, so ratios compare like with like on this machine.
 */
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const only = process.argv[2];

if (!existsSync(join(root, 'dist/index.html'))) {
  console.log('No production build yet: building once with `npm run build`…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const scripts = readdirSync(here)
  .filter((name) => name.endsWith('.bench.mjs') && (!only || name.includes(only)))
  .sort();
const format = (value, unit) => (value === undefined ? '' : `${Number.isInteger(value) ? value : value.toFixed(value < 10 ? 2 : 1)} ${unit}`.trim());
let failed = false;
for (const script of scripts) {
  console.log(`\n${script.replace('.bench.mjs', '')}`);
  try {
    const { run } = await import(pathToFileURL(join(here, script)).href);
    const rows = await run();
    const table = rows.map((row) => ({
      figure: row.name,
      value: format(row.value, row.unit),
      baseline: row.baseline === undefined ? '' : `${format(row.baseline.value, row.baseline.unit ?? row.unit)} (${row.baseline.name})`,
      ratio: row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`,
      target: row.target ?? '',
    }));
    console.table(table);
  } catch (error) {
    failed = true;
    console.error(`  ${script} failed: ${error instanceof Error ? error.stack : error}`);
  }
}
process.exit(failed ? 1 : 0);
