import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The edits of installed packages are patches/, which patch-package applies when npm installs
 * (package.json's postinstall). The bundle holds node_modules as it is, so an install that ran no
 * scripts (npm ci --ignore-scripts) would ship the packages as published: the build checks first.
 */

/** Each line that a patch of `project`'s patches/ adds, by the file it adds it to. */
function addedLines(project: string): Map<string, string[]> {
  const lines = new Map<string, string[]>();
  const dir = join(project, 'patches');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.patch'))) {
    let added: string[] = [];
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n').map((l) => l.replace(/\r$/, ''))) {
      const file = /^\+\+\+ b\/(.+)$/.exec(line)?.[1];
      if (file) lines.set(file, (added = lines.get(file) ?? []));
      else if (line.startsWith('+')) added.push(line.slice(1));
    }
  }
  return lines;
}

/** The files of `project` (node_modules/...) that lack a line their patch adds. */
export function unpatchedFiles(project: string): string[] {
  return [...addedLines(project)]
    .filter(([file, added]) => {
      const path = join(project, file);
      if (!existsSync(path)) return true;
      const present = new Set(readFileSync(path, 'utf8').split(/\r?\n/));
      return added.some((line) => !present.has(line));
    })
    .map(([file]) => file);
}
