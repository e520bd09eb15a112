import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROJECT } from '../../scripts/build/bundle';

/**
 * The project as a fresh clone has it, in a temporary folder: the files git keeps (this tree's
 * versions, committed or not), nothing built, nothing local, and the installed node_modules
 * linked in place of `npm ci`. Commands run there build and deploy there, not in this tree.
 */
export async function cloneProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clone-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: PROJECT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && existsSync(join(PROJECT, f)));
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await copyFile(join(PROJECT, file), join(dir, file));
  }
  await symlink(join(PROJECT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}
