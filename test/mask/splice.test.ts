import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT } from '../../scripts/build/bundle';
import { shippedNodeOptions } from '../../scripts/build/code-cache';
import { PARTS_PER_JOIN, splice } from '../../src/mask/splice';

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

  // Each masked value appended with `+=` made a string of a node per part, and megabytes of short
  // values made more nodes than the shipped heap holds: the process ran out of memory.
  it.each([
    ['a payload', "require('./src/mask/payload').maskedJson({ Message: message }).json"],
    ['text too large to parse', "require('./src/mask/text').maskTextOnly(JSON.stringify({ Message: message }))"],
  ])('masks megabytes of short values in %s within the shipped heap', (_what, masked) => {
    const script = `const message = 'token=x '.repeat(4 * 131072); const masked = ${masked}; process.stdout.write(JSON.stringify([masked.length, masked.slice(0, 40)]));`;
    const run = spawnSync(join(PROJECT, 'node_modules', '.bin', 'tsx'), ['--eval', script], {
      cwd: PROJECT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NODE_OPTIONS: shippedNodeOptions() },
      timeout: 60_000,
    });
    expect(run.stderr).not.toContain('heap out of memory');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([4 * 131072 * 13 + 14, '{"Message":"token=****** token=****** to']);
  });
});
