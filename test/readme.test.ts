import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT } from '../scripts/build/bundle';
import { CONFIG_VARIABLES, configurationTable } from '../src/config';

/** The README's Layout names what a newcomer will find; these hold it to the tree. */
describe("the README's Layout", () => {
  const readme = readFileSync(join(PROJECT, 'README.md'), 'utf8');
  const layout = readme.slice(readme.indexOf('## Layout'));
  const files = (dir: string): string[] =>
    readdirSync(join(PROJECT, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(PROJECT, join(e.parentPath, e.name)));

  it('names every source file', () => {
    expect(files('src').filter((f) => !layout.includes(f))).toEqual([]);
  });

  it('names the file of every npm script, and every folder of scripts/', () => {
    const scripts = Object.values((JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
    const entries = scripts.flatMap((command) => [...command.matchAll(/scripts\/[\w-]+\.ts/g)].map((m) => m[0]));
    expect(entries.length).toBeGreaterThan(5);
    const folders = readdirSync(join(PROJECT, 'scripts'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `scripts/${e.name}/`);
    expect([...entries, ...folders].filter((f) => !layout.includes(f))).toEqual([]);
  });
});

/** The configuration table is the registry of variables in src/config.ts, rendered. */
describe("the README's Configuration", () => {
  const readme = readFileSync(join(PROJECT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'));
  const table = section.slice(section.indexOf('\n|') + 1, section.indexOf('\n\n', section.indexOf('\n|')));

  it('lists every variable the function reads, with its meaning and default, as the registry declares them', () => {
    expect(table).toBe(configurationTable());
    expect(table.split('\n').slice(2).map((row) => /^\| `(\w+)` \|/.exec(row)?.[1])).toEqual(CONFIG_VARIABLES);
  });
});
