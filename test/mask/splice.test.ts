import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT } from '../../scripts/build/bundle';
import { shippedNodeOptions } from '../../scripts/build/code-cache';
import { PARTS_PER_JOIN, replaceMatches, splice } from '../../src/mask/splice';

describe('splice', () => {
  it('puts each replacement in place of its range, in order, and keeps the text between', () => {
    const out = splice('key=secret; other=kept; token=x');
    out.replace(4, 10, '***');
    out.replace(30, 31, '#');
    expect(out.done()).toBe('key=***; other=kept; token=#');
  });

  it('gives the text itself when nothing was replaced', () => {
    const text = 'nothing to mask';
    expect(splice(text).done()).toBe(text);
  });

  it('keeps every replacement when there are many more than it joins at once', () => {
    const count = PARTS_PER_JOIN * 3 + 7;
    const text = 'token=x '.repeat(count);
    const out = splice(text);
    for (let i = 0; i < count; i++) out.replace(i * 8 + 6, i * 8 + 7, `${i}`);
    expect(out.done()).toBe(Array.from({ length: count }, (_, i) => `token=${i} `).join(''));
  });

});

describe('replaceMatches', () => {
  it('replaces each match as String.replace does, a match it gives back unchanged kept', () => {
    const text = '<Token>a</Token><Id>b</Id><Token>c</Token>';
    const element = /<(\w+)>([^<]*)<\/\1>/g;
    const replaced = replaceMatches(text, element, ([whole, name]) => (name === 'Token' ? `<${name}>*</${name}>` : whole));
    expect(replaced).toBe(text.replace(element, (whole, name: string) => (name === 'Token' ? `<${name}>*</${name}>` : whole)));
    expect(replaced).toBe('<Token>*</Token><Id>b</Id><Token>*</Token>');
  });

  it('goes on after a replacement that used the same pattern on other text', () => {
    const word = /\w+/g;
    const upper = ([w]: RegExpExecArray) => w.toUpperCase();
    let calls = 0;
    const replaced = replaceMatches('ab cd ef', word, (m) => (calls++ === 0 ? replaceMatches(`${m[0]} x`, word, upper) : upper(m)));
    expect(replaced).toBe('AB X CD EF');
  });
});

/*
 * A string grown by `+=` for each masked value is a node per part, and String.replace holds every
 * match and what takes its place until its end: megabytes of short values were more than the
 * shipped heap holds, and the process ran out of memory (token=x from 3 MB, XML elements from 2).
 */
describe('masking megabytes of short values, within the shipped heap', () => {
  const cases: [what: string, masks: 'maskedJson' | 'maskTextOnly', unit: string, masked: string][] = [
    ['named values', 'maskedJson', 'token=x ', 'token=****** '],
    ['named values', 'maskTextOnly', 'token=x ', 'token=****** '],
    ['XML elements', 'maskTextOnly', '<Token>x</Token>', '<Token>******</Token>'],
    ['URL userinfo', 'maskTextOnly', 'rtmp://u:p@h ', 'rtmp://******@h '],
    ['JSON escapes in text', 'maskTextOnly', '\\u0070assword=x ', 'password=****** '],
  ];

  it.each(cases)('%s, 4 MB of them, by %s', (_what, masks, unit, masked) => {
    const count = Math.floor((4 * 2 ** 20) / unit.length);
    const script = `
      const { maskedJson } = require('./src/mask/payload');
      const { maskTextOnly } = require('./src/mask/unparsed');
      const payload = { Message: process.env.UNIT.repeat(${count}) };
      const masked = ${masks === 'maskedJson' ? 'maskedJson(payload).json' : 'maskTextOnly(JSON.stringify(payload))'};
      process.stdout.write(JSON.stringify([masked.length, masked.slice(0, 100), masked.slice(-100)]));
    `;
    const run = spawnSync(join(PROJECT, 'node_modules', '.bin', 'tsx'), ['--eval', script], {
      cwd: PROJECT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NODE_OPTIONS: shippedNodeOptions(), UNIT: unit },
      timeout: 60_000,
    });
    expect(run.stderr).not.toContain('heap out of memory');
    expect(run.status).toBe(0);
    const expected = JSON.stringify({ Message: masked.repeat(count) });
    expect(JSON.parse(run.stdout)).toEqual([expected.length, expected.slice(0, 100), expected.slice(-100)]);
  });
});
