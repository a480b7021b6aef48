import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkStructure, importsOf } from '../support/structure.ts';

describe('the project structure', () => {
  it('keeps every dependency rule', () => {
    expect(checkStructure(process.cwd())).toEqual([]);
  });
});

describe('the structure check', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A tree of one allowed file per rule, plus the files given. */
  function tree(files: Record<string, string>): string {
    root = mkdtempSync(join(tmpdir(), 'structure-'));
    const allowed: Record<string, string> = {
      'src/lib/xapi/iris.ts':
        "export const completed = 'http://adlnet.gov/expapi/verbs/completed';\nexport const module = (site: string, id: string) => `${site}/modules/${id}`;\n",
      'src/lib/record/pouch.ts': "import PouchDB from 'pouchdb-core';\nexport { PouchDB };\n",
      'src/lib/progress/derive.ts': "import { completed } from '../xapi/iris.ts';\n// document.title is not used here\nexport { completed };\n",
      'components/fh-quiz.ts': "import { LitElement } from 'lit';\nexport class Quiz extends LitElement {}\ncustomElements.define('fh-quiz', Quiz);\n",
      'courses/modules/a/index.mdx': '---\ntitle: A\n---\n\nImport your notes before you export them.\n',
    };
    for (const [path, text] of Object.entries({ ...allowed, ...files })) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it('accepts a tree that keeps the rules', () => {
    expect(checkStructure(tree({}))).toEqual([]);
  });

  it.each([
    ['src/lib imports Lit', 'src/lib/plan/index.ts', "import { html } from 'lit';", 'src/lib is framework-free'],
    ['src/lib imports an Astro module', 'src/lib/plan/index.ts', "import { getCollection } from 'astro:content';", 'src/lib is framework-free'],
    ['src/lib imports a component', 'src/lib/plan/index.ts', "import '../../../components/fh-quiz.ts';", 'src/lib is framework-free'],
    ['src/lib imports the hub', 'src/lib/plan/index.ts', "const hub = await import('../../hub/app.ts');", 'src/lib is framework-free'],
    ['src/lib uses the DOM', 'src/lib/plan/index.ts', 'export const title = () => document.title;', 'src/lib is framework-free'],
    ['the hub imports a component', 'src/hub/app.ts', "import '../../components/fh-status.ts';", 'the hub uses src/lib, not the browser code'],
    ['the hub imports a page script', 'src/hub/app.ts', "import { x } from '../pages/lead/_import.ts';", 'the hub uses src/lib, not the browser code'],
    ['progress reads the record', 'src/lib/progress/derive.ts', "export { openRecord } from '../record/index.ts';", 'progress never reads the record'],
    ['a page loads PouchDB', 'src/pages/my-learning/_my-learning.ts', "import PouchDB from 'pouchdb-core';", 'only the record adapter loads PouchDB'],
    [
      'a component writes an ADL verb',
      'components/fh-film.ts',
      "const verb = 'http://adlnet.gov/expapi/verbs/passed';\ncustomElements.define('fh-film', class extends HTMLElement {});",
      'IRIs live in src/lib/xapi/iris.ts',
    ],
    [
      'src/lib builds a site IRI',
      'src/lib/progress/derive.ts',
      'export const quiz = (site: string, id: string) => `${site}/modules/${id}/quiz`;',
      'IRIs live in src/lib/xapi/iris.ts',
    ],
    ['components holds a helper', 'components/download.ts', 'export const downloadFile = () => undefined;', 'components/ holds only custom elements'],
    ['a component file defines no element', 'components/fh-words.ts', 'export const words = 1;', 'components/ holds only custom elements'],
    ['courses holds a script', 'courses/modules/a/helper.ts', 'export {};', 'courses/ holds no code'],
    ['a lesson imports code', 'courses/modules/a/index.mdx', "---\ntitle: A\n---\nimport X from '../../../src/x.ts';\n", 'courses/ holds no code'],
  ])('fails when %s', (_case, path, text, rule) => {
    const problems = checkStructure(tree({ [path]: text }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ rule, file: path });
  });

  it('reads static, dynamic and re-exported imports, not ones in comments', () => {
    const source =
      "import a from 'a';\nimport type { B } from 'b';\nexport * from './c.ts';\nimport 'd';\nconst e = await import('e');\n// import f from 'f';\n/* import g from 'g'; */";
    expect(importsOf(source)).toEqual(['a', 'b', './c.ts', 'd', 'e']);
  });
});
