import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Every page of the production build, as URL paths ("/", "/roles/library-staff/"). */
export function builtPages(dist = 'dist'): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'index.html') {
        const folder = relative(dist, dir).split(sep).join('/');
        pages.push(folder ? `/${folder}/` : '/');
      }
    }
  };
  walk(dist);
  return pages.sort();
}
