/**
 * `astro build` over a council's own course: the minimal council in tests/fixtures/course
 * builds into working pages with none of the demonstration council left in them, and a
 * mistake in its content stops the build naming the file, the field and the reason.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCourse } from '../../../src/lib/content/read.ts';

const project = process.cwd();
const fixture = join(project, 'tests/fixtures/course');
const copies: string[] = [];
afterAll(() => {
  for (const root of copies) rmSync(root, { recursive: true, force: true });
});

/** A copy of the project whose courses/ and public/films are the fixture council's, as a council's own copy would be. */
function councilProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'fh-build-'));
  copies.push(root);
  for (const part of ['src', 'components', 'astro.config.mjs', 'package.json', 'tsconfig.json'])
    cpSync(join(project, part), join(root, part), { recursive: true });
  cpSync(fixture, root, { recursive: true });
  symlinkSync(join(project, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

// Astro's own script, run with the Node running the tests, so no shell or `node` on the PATH is needed.
const build = (root: string) =>
  spawnSync(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], { cwd: root, encoding: 'utf8', timeout: 240_000 });

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));

describe('a second council, built from its own courses/', () => {
  const root = councilProject();
  const course = readCourse(root);
  let result: ReturnType<typeof build>;
  beforeAll(() => {
    result = build(root);
  }, 300_000);
  const page = (path: string) => readFileSync(join(root, 'dist', path, 'index.html'), 'utf8');

  it('builds', () => {
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
  });

  it('shows the council’s own name and contacts on the home and accessibility pages', () => {
    expect(page('')).toContain(`<title>`);
    expect(page('')).toContain(course.site.council);
    expect(page('accessibility')).toContain(course.site.contacts.accessibility.email!);
  });

  it('has a page for every role, module, film and service, showing its title', () => {
    for (const role of course.matrix.roles) expect(page(`roles/${role.id}`), role.id).toContain(role.name);
    for (const [id, module] of Object.entries(course.modules)) expect(page(`modules/${id}`), id).toContain(module.title);
    for (const [id, film] of Object.entries(course.films)) expect(page(`films/${id}`), id).toContain(film.title);
    for (const service of Object.values(course.services)) expect(page('services'), service.name).toContain(service.name);
    for (const path of ['my-learning', 'privacy', 'verify', 'lead']) expect(existsSync(join(root, 'dist', path, 'index.html')), path).toBe(true);
  });

  it('links only to pages and files that exist in the build', () => {
    const missing: string[] = [];
    const html = filesUnder(join(root, 'dist')).filter((file) => file.endsWith('.html'));
    for (const file of html) {
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/(?:href|src)="(\/[^"#?]*)/g)) {
        const path = join(root, 'dist', decodeURI(target!));
        if (!existsSync(path) && !existsSync(join(path, 'index.html'))) missing.push(`${file.slice(root.length + 6)} → ${target}`);
      }
    }
    expect(html.length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });

  it('carries nothing of the demonstration council', () => {
    const demoWords = /brookfield|northgate|riverside|eastmoor/i;
    const found = filesUnder(join(root, 'dist'))
      .filter((file) => /\.(html|js|css|json|xml|txt)$/.test(file))
      .filter((file) => demoWords.test(readFileSync(file, 'utf8')))
      .map((file) => file.slice(root.length + 1));
    expect(found).toEqual([]);
  });

  it('fails with the file, the field and the reason when the matrix names a missing module', () => {
    const broken = councilProject();
    const matrix = join(broken, 'courses/matrix.yaml');
    writeFileSync(matrix, readFileSync(matrix, 'utf8').replace('[first-steps, keeping-safe]', '[first-steps, safegarding]'));
    const failed = build(broken);
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain("courses/matrix.yaml: roles[0].required[1]: no module, film or webinar 'safegarding'");
  });
}, 300_000);
