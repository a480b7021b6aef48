/**
 * The project's dependency rules, checked from the source text so that a
 * broken rule fails `npm test` with the file and the import that broke it.
 *
 * - `src/lib` is framework-free: no DOM globals, no Astro, no Lit, nothing
 *   from `components/`, the pages, the layouts, the browser glue or the hub.
 * - `src/lib/progress` is pure: it never reaches the learner record.
 * - Only the record's browser adapter (`src/lib/record/pouch.ts`) loads PouchDB.
 * - Statement IRIs are written only in `src/lib/xapi/iris.ts`.
 * - `src/hub` is the server: it uses `src/lib`, never the components, pages or browser glue.
 * - `components/` holds only custom elements: `fh-*.ts` files that define one.
 * - `courses/` is content a council edits: it holds no code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';

/** One broken rule, with the file (relative to the root) and what is wrong. */
export interface StructureProblem {
  rule: string;
  file: string;
  detail: string;
}

const codeExtensions = new Set(['.ts', '.mts', '.js', '.mjs', '.cjs', '.tsx', '.jsx', '.astro']);

/** Files below `dir` (relative to `root`), skipping folders that do not exist. */
function filesUnder(root: string, dir: string): string[] {
  const start = join(root, dir);
  let entries: string[];
  try {
    if (!statSync(start).isDirectory()) return [];
    entries = readdirSync(start, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries.map((entry) => join(dir, entry).split(sep).join('/')).filter((path) => statSync(join(root, path)).isFile());
}

/** The source with comments blanked out, so that prose about an API is not taken for a use of it. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
}

/** Every module specifier a file imports, statically or dynamically, or re-exports. */
export function importsOf(source: string): string[] {
  const code = withoutComments(source);
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** The project path a relative specifier points at, or the bare package name. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return relative('.', resolve(dirname(file), specifier))
    .split(sep)
    .join('/');
}

const frameworkFree = {
  rule: 'src/lib is framework-free',
  forbiddenPackages: [/^lit($|\/)/, /^astro($|:|\/)/, /^@astrojs\//, /\.astro$/],
  forbiddenFolders: ['components/', 'src/pages/', 'src/layouts/', 'src/hub/', 'src/browser/', 'src/lesson/'],
  domGlobals: /\b(?:document|window|customElements|HTMLElement|localStorage|sessionStorage|navigator)\b(?=\s*[.[(])/,
};

/** The record's browser adapter, and the lead's worker, which keeps its own database of handed-in records. */
const pouchLoaders = new Set(['src/lib/record/pouch.ts']);

const siteIri = /^\$\{[^}]*\}\/(?:modules|films|roles|certificates|xapi)\//;
const publishedIri = /^https?:\/\/(?:adlnet\.gov\/expapi|w3id\.org\/xapi|id\.tincanapi\.com)\//;

/** String and template literals whose whole text is an IRI of ours or a published vocabulary's. */
function iriLiterals(source: string): string[] {
  const code = withoutComments(source);
  const literals = [...code.matchAll(/'([^'\n]*)'|"([^"\n]*)"|`([^`]*)`/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
  return literals.filter((text) => publishedIri.test(text) || siteIri.test(text));
}

/** Checks every rule over the tree at `root`; an empty list means all hold. */
export function checkStructure(root: string): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const sourceFiles = ['src', 'components']
    .flatMap((dir) => filesUnder(root, dir))
    .filter((file) => codeExtensions.has(extname(file)) && !file.endsWith('.d.ts'));

  for (const file of sourceFiles) {
    const source = readFileSync(join(root, file), 'utf8');
    const imports = importsOf(source).map((specifier) => ({ specifier, to: target(file, specifier) }));

    if (file.startsWith('src/lib/')) {
      for (const { specifier, to } of imports) {
        if (
          frameworkFree.forbiddenPackages.some((pattern) => pattern.test(specifier)) ||
          frameworkFree.forbiddenFolders.some((folder) => to.startsWith(folder))
        ) {
          problems.push({ rule: frameworkFree.rule, file, detail: `imports '${specifier}'` });
        }
      }
      const dom = withoutComments(source).match(frameworkFree.domGlobals);
      if (dom) problems.push({ rule: frameworkFree.rule, file, detail: `uses the DOM global '${dom[0]}'` });
    }

    if (file.startsWith('src/hub/')) {
      for (const { specifier, to } of imports) {
        if (
          ['components/', 'src/pages/', 'src/layouts/', 'src/browser/', 'src/lesson/'].some((folder) => to.startsWith(folder)) ||
          /^lit($|\/)|^astro($|:|\/)/.test(specifier)
        ) {
          problems.push({ rule: 'the hub uses src/lib, not the browser code', file, detail: `imports '${specifier}'` });
        }
      }
    }

    if (file.startsWith('src/lib/progress/')) {
      for (const { specifier, to } of imports) {
        if (to.startsWith('src/lib/record')) problems.push({ rule: 'progress never reads the record', file, detail: `imports '${specifier}'` });
      }
    }

    if (!pouchLoaders.has(file)) {
      for (const { specifier } of imports) {
        if (/^pouchdb/.test(specifier)) problems.push({ rule: 'only the record adapter loads PouchDB', file, detail: `imports '${specifier}'` });
      }
    }

    if (file !== 'src/lib/xapi/iris.ts') {
      for (const iri of iriLiterals(source)) problems.push({ rule: 'IRIs live in src/lib/xapi/iris.ts', file, detail: `writes the IRI '${iri}'` });
    }
  }

  for (const file of filesUnder(root, 'components')) {
    const name = file.slice('components/'.length);
    const source = codeExtensions.has(extname(file)) ? readFileSync(join(root, file), 'utf8') : '';
    if (!/^fh-[a-z-]+\.ts$/.test(name) || !/\bcustomElements\.define\(|@customElement\(/.test(withoutComments(source))) {
      problems.push({ rule: 'components/ holds only custom elements', file, detail: 'is not an fh-*.ts file that defines an element' });
    }
  }

  for (const file of filesUnder(root, 'courses')) {
    if (codeExtensions.has(extname(file)) || ['.sh', '.py', '.wasm'].includes(extname(file))) {
      problems.push({ rule: 'courses/ holds no code', file, detail: 'is a program file' });
    } else if (extname(file) === '.mdx') {
      const line = readFileSync(join(root, file), 'utf8')
        .split('\n')
        .find((text) => /^\s*(?:import|export)\s/.test(text));
      if (line !== undefined) problems.push({ rule: 'courses/ holds no code', file, detail: `has the code line '${line.trim()}'` });
    }
  }
  return problems;
}
