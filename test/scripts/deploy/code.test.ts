import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkZipSize, stalePackage, zipCode } from '../../../scripts/deploy/code';
import { ZIP_LIMIT_BYTES } from '../../../scripts/tencent-api';

describe('stalePackage', () => {
  let project: string;
  beforeEach(async () => {
    project = await mkdtemp(join(tmpdir(), 'stale-'));
    await mkdir(join(project, 'src', 'store'), { recursive: true });
    await writeFile(join(project, 'src', 'store', 'cos.ts'), '');
    await writeFile(join(project, 'serverless.yml'), '');
  });
  afterEach(() => rm(project, { recursive: true, force: true }));

  const at = (path: string, seconds: number) => utimes(join(project, path), seconds, seconds);
  const built = async (seconds: number) => {
    await mkdir(join(project, 'dist', 'function'), { recursive: true });
    for (const f of ['index.js', 'function.js']) {
      await writeFile(join(project, 'dist', 'function', f), '');
      await at(join('dist', 'function', f), seconds);
    }
  };

  it('says the function folder is missing', async () => {
    expect(await stalePackage(project, join(project, 'dist', 'function'))).toBe('dist/function is missing');
  });

  it('is content with a package newer than every source, and not with one older than any', async () => {
    await at('src/store/cos.ts', 1000);
    await at('serverless.yml', 1000);
    await built(2000);
    expect(await stalePackage(project, join(project, 'dist', 'function'))).toBeUndefined();
    await at('src/store/cos.ts', 3000);
    expect(await stalePackage(project, join(project, 'dist', 'function'))).toBe('dist/function is older than the sources');
    await at('src/store/cos.ts', 1000);
    await at('serverless.yml', 3000);
    expect(await stalePackage(project, join(project, 'dist', 'function'))).toBe('dist/function is older than the sources');
  });
});

describe('checkZipSize', () => {
  const code = (bytes: number) => ({ zip: new Uint8Array(bytes), sha256: '', source: 'dist/function' });

  it('lets a zip up to the limit of the call through, and refuses one over it', () => {
    expect(() => checkZipSize(code(ZIP_LIMIT_BYTES.UpdateFunctionCode), 'UpdateFunctionCode')).not.toThrow();
    expect(() => checkZipSize(code(ZIP_LIMIT_BYTES.UpdateFunctionCode + 1), 'CreateFunction')).not.toThrow();
    expect(() => checkZipSize(code(ZIP_LIMIT_BYTES.UpdateFunctionCode + 1), 'UpdateFunctionCode')).toThrow(
      'dist/function zips to 20.0 MB, over the 20.0 MB that UpdateFunctionCode takes inline: make the function smaller',
    );
    expect(() => checkZipSize(code(51 * 2 ** 20), 'CreateFunction')).toThrow('dist/function zips to 51.0 MB, over the 50.0 MB that CreateFunction takes inline');
  });
});

describe('zipCode', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'code-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses an empty folder', async () => {
    await expect(zipCode(dir, 'index.main_handler')).rejects.toThrow(/holds no files to deploy$/);
  });

  it("refuses a folder without the handler's file at its root, such as the folder above it", async () => {
    await mkdir(join(dir, 'function'));
    await writeFile(join(dir, 'function', 'index.js'), '');
    await expect(zipCode(dir, 'index.main_handler')).rejects.toThrow(/has no index\.js at its root, the file of the handler index\.main_handler: src\.src in serverless\.yml names the folder npm run package writes/);
    await expect(zipCode(join(dir, 'function'), 'index.main_handler')).resolves.toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});
