import { describe, expect, it } from 'vitest';
import { NAME_FAMILIES } from '../../src/mask/names';
import { ENTRIES, PIPELINE } from '../../src/mask/registry';
import { SOURCES } from '../../src/mask/sources';
import { maskText } from '../../src/mask/text';

/** Every example of the registry, of its entries and of its names: each is a test. */
const EXAMPLES: [entry: string, given: string, stored: string][] = [
  ...ENTRIES.flatMap((entry) => entry.examples.map(([given, stored]): [string, string, string] => [entry.name, given, stored])),
  ...NAME_FAMILIES.flatMap((family) => family.examples.map(([given, stored]): [string, string, string] => [`names: ${family.what}`, given, stored])),
];

describe('the masking registry', () => {
  it.each(EXAMPLES)('%s: stores %j as %j, and that as it is', (_entry, given, stored) => {
    expect(maskText(given)).toBe(stored);
    expect(maskText(stored)).toBe(stored);
  });

  it('cites a public source for every entry and every family of names, and shows each at work', () => {
    for (const { name, sources, examples } of [...ENTRIES, ...NAME_FAMILIES.map((f) => ({ ...f, name: f.what }))]) {
      expect(sources.length, name).toBeGreaterThan(0);
      for (const source of sources) {
        expect(source.title, name).not.toBe('');
        expect(new URL(source.url).protocol, name).toBe('https:');
      }
      expect(examples.some(([given, stored]) => given !== stored), name).toBe(true);
    }
  });

  it('cites every source it lists', () => {
    const cited = new Set([...ENTRIES, ...NAME_FAMILIES].flatMap((entry) => entry.sources));
    expect(Object.entries(SOURCES).filter(([, source]) => !cited.has(source)).map(([key]) => key)).toEqual([]);
  });

  it('runs every entry that masks text in the pipeline, and names each entry once', () => {
    const names = ENTRIES.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    expect(PIPELINE.every((rule) => ENTRIES.includes(rule))).toBe(true);
  });
});
