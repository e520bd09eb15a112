import * as fs from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openAccount } from '../../../scripts/local-scf/account';

vi.mock('node:fs', async (actual) => {
  const real = await actual<typeof import('node:fs')>();
  return { ...real, writeFileSync: vi.fn(real.writeFileSync) };
});

const ZIP = Buffer.from(zipSync({ 'index.js': strToU8('exports.main_handler = async () => 1;') })).toString('base64');
const create = (FunctionName: string) => ({ FunctionName, Runtime: 'Nodejs18.15', Code: { ZipFile: ZIP } });

describe("the local account's state file", () => {
  let dir: string;
  let stateFile: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'account-'));
    stateFile = join(dir, 'account.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps the state it had when a write of it stops half way', async () => {
    const account = openAccount({ stateFile, workDir: dir });
    await account.scf('CreateFunction', 'ap-guangzhou', create('first'), { requestId: 'r1' });
    const before = await readFile(stateFile, 'utf8');
    // A deploy stopped mid-write (Ctrl-C): half the bytes reach the disk.
    vi.mocked(fs.writeFileSync).mockImplementationOnce((file, data) => {
      fs.appendFileSync(file as string, String(data).slice(0, 100), { flag: 'w' });
      throw new Error('interrupted');
    });
    await expect(account.scf('CreateFunction', 'ap-guangzhou', create('second'), { requestId: 'r2' })).rejects.toThrow('interrupted');
    expect(await readFile(stateFile, 'utf8')).toBe(before);
    expect(Object.keys((JSON.parse(before) as { functions: object }).functions)).toEqual(['ap-guangzhou/default/first']);
  });

  it('names a state file that is not one, and says how to start afresh', async () => {
    await writeFile(stateFile, '{"functions": {');
    expect(() => openAccount({ stateFile, workDir: dir })).toThrow(`${stateFile} is not the local account's state: delete it to start with an empty account`);
  });
});
