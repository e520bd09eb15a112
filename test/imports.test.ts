import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT } from '../scripts/build/bundle';

/*
 * How the modules of src/ and scripts/ depend on each other: each concern builds on others
 * without leaning back on what builds on it.
 */

const MODULES = ['src', 'scripts'].flatMap((dir) =>
  readdirSync(join(PROJECT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(PROJECT, join(e.parentPath, e.name))),
);

/** The project's modules a module imports, by path from the project's root. */
function importsOf(module: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(PROJECT, module), 'utf8'), true, true);
  return importedFiles
    .filter((f) => f.fileName.startsWith('.'))
    .map((f) => relative(PROJECT, join(PROJECT, dirname(module), f.fileName)))
    .map((path) => [`${path}.ts`, join(path, 'index.ts'), path].find((p) => MODULES.includes(p)))
    .filter((p): p is string => p !== undefined);
}

const GRAPH = new Map(MODULES.map((m) => [m, importsOf(m)]));

/** Every chain of imports that comes back to where it started, as "a → b → a". */
function cycles(): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const walk = (module: string, path: string[]) => {
    const start = path.indexOf(module);
    if (start >= 0) {
      found.push([...path.slice(start), module].join(' → '));
      return;
    }
    if (done.has(module)) return;
    for (const next of GRAPH.get(module) ?? []) walk(next, [...path, module]);
    done.add(module);
  };
  for (const module of MODULES) walk(module, []);
  return found;
}

describe('the imports of src/ and scripts/', () => {
  it('are read: the handler imports its steps', () => {
    expect(GRAPH.get('src/handler.ts')).toEqual(expect.arrayContaining(['src/plan.ts', 'src/store/store.ts']));
  });

  it('have no cycle', () => {
    expect(cycles()).toEqual([]);
  });

  it('leave the configuration to itself: config.ts reads no module of what it configures', () => {
    expect(GRAPH.get('src/config.ts')!.filter((m) => m.startsWith('src/forward/') || m.startsWith('src/store/'))).toEqual([]);
  });
});
