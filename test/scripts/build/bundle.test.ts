import { describe, expect, it } from 'vitest';
import { bundle, largestInputs, STUBBED_PACKAGES } from '../../../scripts/build/bundle';

describe('bundle', () => {
  it('is one CommonJS file for Node 18 that exports main_handler, with the unused packages stubbed', async () => {
    const { code, metafile } = await bundle();
    const inputs = Object.keys(Object.values(metafile.outputs).find((o) => o.entryPoint)!.inputs);
    for (const name of [...STUBBED_PACKAGES, 'sshpk', 'tweetnacl', 'psl', 'mime-db']) {
      expect(inputs.some((i) => i.includes(`node_modules/${name}/`))).toBe(false);
    }
    expect(inputs.filter((i) => i.startsWith('stub:'))).toHaveLength(STUBBED_PACKAGES.length);
    const text = Buffer.from(code).toString();
    expect(text.startsWith('"use strict"')).toBe(true);
    expect(text).not.toMatch(/sourceMappingURL/);

    const module = { exports: {} as Record<string, unknown> };
    const env = { COS_BUCKET: 'a-1250000000', COS_REGION: 'ap-guangzhou', LOG_LEVEL: 'silent' };
    new Function('module', 'exports', 'require', 'process', text)(module, module.exports, require, { ...process, env });
    expect(typeof module.exports.main_handler).toBe('function');
  });

  it('without stubs, holds the packages the stubs replace', async () => {
    const { metafile } = await bundle({ stub: false });
    const inputs = Object.keys(Object.values(metafile.outputs).find((o) => o.entryPoint)!.inputs);
    expect(inputs.some((i) => i.includes('node_modules/tough-cookie/'))).toBe(true);
  });

  it('names its largest inputs, largest first', async () => {
    const rows = largestInputs((await bundle()).metafile, 5);
    expect(rows).toHaveLength(5);
    expect(rows.map(([name]) => name)).toContain('cos-nodejs-sdk-v5');
    expect(rows.map(([, bytes]) => bytes)).toEqual([...rows.map(([, bytes]) => bytes)].sort((a, b) => b - a));
  });
});
