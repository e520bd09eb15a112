import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT } from '../scripts/build/bundle';
import { CONFIG_VARIABLES, configurationTable } from '../src/config';

/*
 * The README is the five-minute read, docs/ the rest: these hold both to the tree, so that a
 * newcomer is never sent to a file, a section or a script that is not there.
 */
const read = (file: string) => readFileSync(join(PROJECT, file), 'utf8');
const README = read('README.md');
const DOCS = readdirSync(join(PROJECT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
const files = (dir: string): string[] =>
  readdirSync(join(PROJECT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(PROJECT, join(e.parentPath, e.name)));

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

describe('the README', () => {
  it('is at most 8 KB', () => {
    expect(Buffer.byteLength(README)).toBeLessThanOrEqual(8 * 1024);
  });

  it('lists every npm script, and no other', () => {
    // npm runs its lifecycle scripts itself; nobody types them.
    const lifecycle = new Set(['preinstall', 'install', 'postinstall', 'prepare', 'prepublishOnly', 'prepack', 'postpack']);
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts).filter((s) => !lifecycle.has(s));
    const section = README.slice(README.indexOf('## npm scripts'), README.indexOf('\n## ', README.indexOf('## npm scripts') + 1));
    const listed = [...section.matchAll(/^\| `npm (?:run )?([\w:-]+)`/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(scripts.sort());
  });

  it("lists every variable the function reads, with its meaning and default, as src/config.ts's registry declares them", () => {
    const section = README.slice(README.indexOf('## Configuration'));
    const table = section.slice(section.indexOf('\n|') + 1, section.indexOf('\n\n', section.indexOf('\n|')));
    expect(table).toBe(configurationTable());
    expect(table.split('\n').slice(2).map((row) => /^\| `(\w+)` \|/.exec(row)?.[1])).toEqual(CONFIG_VARIABLES);
  });

  it('links every page of docs/', () => {
    expect(DOCS.filter((doc) => !README.includes(`(${doc})`))).toEqual([]);
  });
});

describe('links between the README and docs/', () => {
  for (const file of ['README.md', ...DOCS, 'fixtures/README.md']) {
    it(`resolve in ${file}`, () => {
      const links = [...read(file).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
      const broken = links.filter((link) => {
        const [path, hash] = link.split('#') as [string, string | undefined];
        const target = path === '' ? file : relative(PROJECT, join(PROJECT, dirname(file), path));
        if (!existsSync(join(PROJECT, target))) return true;
        if (hash === undefined) return false;
        const headings = [...read(target).matchAll(/^#+ (.+)$/gm)].map((m) => anchor(m[1]!));
        return !headings.includes(hash);
      });
      expect(broken).toEqual([]);
    });
  }
});

/** The Layout of docs/architecture.md names what a newcomer will find. */
describe("the architecture page's Layout", () => {
  const page = read('docs/architecture.md');
  const layout = page.slice(page.indexOf('## Layout'));

  it('names every source file', () => {
    expect(files('src').filter((f) => !layout.includes(f))).toEqual([]);
  });

  it('names the file of every npm script, and every folder of scripts/', () => {
    const scripts = Object.values((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
    const entries = scripts.flatMap((command) => [...command.matchAll(/scripts\/[\w-]+\.ts/g)].map((m) => m[0]));
    expect(entries.length).toBeGreaterThan(5);
    const folders = readdirSync(join(PROJECT, 'scripts'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `scripts/${e.name}/`);
    expect([...entries, ...folders].filter((f) => !layout.includes(f))).toEqual([]);
  });
});
