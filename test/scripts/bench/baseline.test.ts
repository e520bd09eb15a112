import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { withBaseline } from '../../../scripts/bench/baseline';
import { handlerWork } from '../../../scripts/bench/cpu';
import { plan } from '../../../src/plan';
import { fixture } from '../../support/fixtures';

const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('bench-baseline-'));

describe('withBaseline', () => {
  it("loads the handler of a commit from that commit's tree, and removes the tree afterwards", async () => {
    const before = leftovers();
    const objects = await withBaseline('HEAD', async (baseline) => {
      expect(baseline.ref).toBe('HEAD');
      expect(baseline.plan).not.toBe(plan);
      expect(leftovers()).toHaveLength(before.length + 1);
      return handlerWork(fixture('events/workflow-task-docs-sample.json'), baseline.plan, new Map());
    });
    expect(objects).toBe(2);
    expect(leftovers()).toEqual(before);
  }, 60_000);

  it('fails on a commit that does not exist, leaving nothing behind', async () => {
    const before = leftovers();
    await expect(withBaseline('no-such-ref-anywhere', async () => 1)).rejects.toThrow(/no-such-ref-anywhere/);
    expect(leftovers()).toEqual(before);
  });
});
