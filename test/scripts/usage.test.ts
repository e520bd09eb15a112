import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT } from '../../scripts/build/bundle';

/*
 * The long-running commands without a test of their own for it: --help and -h print the usage
 * and do nothing else. Every command: an unknown option is refused by name, in the project's
 * one line, with exit code 2.
 */
const tsx = (script: string, arg: string) =>
  spawnSync(join(PROJECT, 'node_modules', '.bin', 'tsx'), [`scripts/${script}.ts`, arg], { cwd: PROJECT, encoding: 'utf8', timeout: 60_000 });

describe.each(['build', 'package', 'cold-start', 'bench'])('npm run %s', (script) => {
  it.each(['--help', '-h'])('prints its usage for %s and does nothing else', (flag) => {
    const result = tsx(script, flag);
    expect(result.stdout).toMatch(new RegExp(`^npm run ${script}\\b`));
    expect(result.stdout).toContain('-h, --help');
    expect(result.stdout).not.toMatch(/\d KB|^sha256 |^Cold invocation,|^1\/4/m);
    expect(result.status).toBe(0);
  });
});

describe.each(['invoke', 'replay', 'query', 'cos-local', 'schema', 'build', 'package', 'cold-start', 'bench'])('scripts/%s.ts', (script) => {
  it('refuses an unknown option in one line that names it and points at --help', () => {
    const result = tsx(script, '--bogus');
    expect(result.stderr).toBe('Unknown option --bogus (--help shows the usage)\n');
    expect(result.status).toBe(2);
  });
});
