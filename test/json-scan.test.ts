import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanJson, type JsonVisitor } from '../src/json-scan';

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Every token the scan reports, as text, with its depth. */
function tokens(text: string): string[] {
  const seen: string[] = [];
  const visitor: JsonVisitor = {
    open: (at, depth) => seen.push(`open ${text[at]} ${depth}`),
    close: (at, depth) => seen.push(`close ${text[at]} ${depth}`),
    key: (start, end, depth) => seen.push(`key ${text.slice(start, end)} ${depth}`),
    scalar: (start, end, depth) => seen.push(`scalar ${text.slice(start, end)} ${depth}`),
  };
  expect(scanJson(text, visitor)).toBe(true);
  return seen;
}

describe('scanJson', () => {
  it('reports every token in order, with the containers around it', () => {
    expect(tokens(' {"a" : [1, "x\\"y", {}], "b":{"c":null}, "d":-1.5e3 } ')).toEqual([
      'open { 0',
      'key "a" 1',
      'open [ 1',
      'scalar 1 2',
      'scalar "x\\"y" 2',
      'open { 2',
      'close } 2',
      'close ] 1',
      'key "b" 1',
      'open { 1',
      'key "c" 2',
      'scalar null 2',
      'close } 1',
      'key "d" 1',
      'scalar -1.5e3 1',
      'close } 0',
    ]);
    expect(tokens('"top"')).toEqual(['scalar "top" 0']);
  });

  it.each([
    '',
    ' ',
    '{',
    '{"a"}',
    '{"a":}',
    '{"a":1,}',
    '[1,]',
    '[1 2]',
    '{"a":1]',
    '[}',
    '01',
    '-',
    '1.',
    '.5',
    '1e',
    '+1',
    'nul',
    'nullx',
    'True',
    '"a',
    '"\\x"',
    '"\\u12G4"',
    '"a\tb"',
    '"a"b',
    '{a:1}',
    "{'a':1}",
    '\uFEFF{}',
    '1 2',
    '[1]]',
    '{"a":1}}',
  ])('refuses what JSON.parse refuses: %j', (text) => {
    expect(parses(text)).toBe(false);
    expect(scanJson(text, {})).toBe(false);
  });

  it('agrees with JSON.parse on any JSON text, and on that text cut or changed', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.string({ maxLength: 3 }), (text, at, insert) => {
        expect(scanJson(text, {})).toBe(true);
        const changed = text.slice(0, at % (text.length + 1)) + insert + text.slice(at % (text.length + 1));
        expect(scanJson(changed, {})).toBe(parses(changed));
        const cut = text.slice(0, at % (text.length + 1));
        expect(scanJson(cut, {})).toBe(parses(cut));
      }),
      { numRuns: 5_000 },
    );
  });

  it('agrees with JSON.parse on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'{}[]":,01-.eE+ tnrufalse\\/') }), (text) => {
        expect(scanJson(text, {})).toBe(parses(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads JSON nested a million levels deep, the depth in a byte a level', () => {
    const depth = 1_000_000;
    let deepest = 0;
    expect(scanJson(`${'['.repeat(depth)}${']'.repeat(depth)}`, { open: (_at, d) => void (deepest = Math.max(deepest, d)) })).toBe(true);
    expect(deepest).toBe(depth - 1);
    expect(scanJson(`${'{"a":['.repeat(depth)}${']}'.repeat(depth - 1)}}]`, {})).toBe(false);
  });
});
