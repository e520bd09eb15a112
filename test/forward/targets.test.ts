import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTargets, targetName } from '../../src/forward/targets';

describe('parseTargets', () => {
  it.each([
    ['notify', 'default/notify:$LATEST'],
    ['prod/notify', 'prod/notify:$LATEST'],
    ['notify:3', 'default/notify:3'],
    ['prod/notify:live', 'prod/notify:live'],
    ['ns-1/my_func-2:$DEFAULT', 'ns-1/my_func-2:$DEFAULT'],
  ])('reads %s as %s', (entry, name) => {
    const { targets, problems } = parseTargets(entry, undefined);
    expect(problems).toEqual([]);
    expect(targets.map(targetName)).toEqual([name]);
  });

  it('reads a list, trimming spaces, in order', () => {
    expect(parseTargets(' fa , fb:2 ,c/fd ', undefined).targets.map(targetName)).toEqual(['default/fa:$LATEST', 'default/fb:2', 'c/fd:$LATEST']);
  });

  it.each(['', ' ', ',', ' , '])('reads %j as no targets', (value) => {
    expect(parseTargets(value, 'self')).toEqual({ targets: [], problems: [] });
  });

  it.each(['fa fb', '1abc', 'f', 'fa/', '/fa', 'fa:', 'fa:b:c', 'a/fb/fc', 'ends-', 'x'.repeat(61), 'fa,,fb', 'has.dot'])('refuses %j', (value) => {
    expect(parseTargets(value, undefined).problems).not.toEqual([]);
  });

  it('refuses a duplicate, defaults included', () => {
    expect(parseTargets('fa,default/fa:$LATEST', undefined).problems).toEqual(['"default/fa:$LATEST" is listed twice (as default/fa:$LATEST)']);
    expect(parseTargets('fa:1,fa:2', undefined).problems).toEqual([]);
  });

  it('refuses the function itself, in any namespace and version', () => {
    expect(parseTargets('backup', 'backup').problems).toHaveLength(1);
    expect(parseTargets('other/backup:3', 'backup').problems[0]).toMatch(/is this function/);
  });

  it('names every problem at once', () => {
    expect(parseTargets('fa fb,fc,fc', undefined).problems).toHaveLength(2);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), (value, self) => {
        const { targets, problems } = parseTargets(value, self);
        for (const t of targets) expect(t.functionName).not.toBe(self);
        expect(new Set(targets.map(targetName)).size).toBe(targets.length);
        expect(Array.isArray(problems)).toBe(true);
      }),
    );
  });
});
