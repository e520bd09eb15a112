import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLine, UsageError } from '../../scripts/cli';

const PROJECT = join(__dirname, '..', '..');
const TSX = join(PROJECT, 'node_modules', '.bin', 'tsx');

const OPTIONS = { local: { type: 'boolean' }, from: { type: 'string' } } as const;

describe('commandLine', () => {
  it('reads the options and the positional arguments', () => {
    expect(commandLine(['--local', '--from', '2026-11-01', 'a.json', '--', '--b'], 'usage', OPTIONS)).toMatchObject({
      values: { local: true, from: '2026-11-01' },
      positionals: ['a.json', '--b'],
    });
  });

  it.each([
    [['--dry-run'], 'Unknown option --dry-run'],
    [['-x'], 'Unknown option -x'],
    [['-hx'], 'Unknown option -x'],
    [['a.json', '--local=yes'], '--local takes no value'],
    [['--from'], '--from needs a value'],
    [['--from', '--local'], '--from needs a value'],
  ])('refuses %j in one line of its own, naming the option', (argv, message) => {
    const parse = () => commandLine(argv, 'usage', OPTIONS);
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(new RegExp(`^${message.replace(/[-.]/g, '\\$&')}$`));
  });

  it('takes a value that starts with a dash when it is given with =', () => {
    expect(commandLine(['--from=-1'], 'usage', OPTIONS)?.values.from).toBe('-1');
  });
});

/*
 * run(), in a command of its own: what it writes reaches a reader slower than it, and it exits
 * with its code even when something it started would keep Node running.
 */
describe('run', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-'));
    const cli = JSON.stringify(join(PROJECT, 'scripts', 'cli'));
    await writeFile(
      join(dir, 'lines.ts'),
      `import { run, UsageError } from ${cli};
run(async (argv) => {
  if (argv[0] === '--bad') throw new UsageError('--bad is bad');
  setInterval(() => undefined, 1_000);
  for (let i = 0; i < 20_000; i++) process.stdout.write(\`line \${i} \${'x'.repeat(100)}\\n\`);
  process.stderr.write('done\\n');
  return 3;
});
`,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The command, its stdout read a chunk at a time with a pause after each. */
  async function slowlyRead(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const child = spawn(TSX, [join(dir, 'lines.ts'), ...args], { cwd: PROJECT, timeout: 60_000 });
    const closed = once(child, 'close');
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    let stdout = '';
    for await (const chunk of child.stdout) {
      stdout += String(chunk);
      await new Promise((r) => setTimeout(r, 10));
    }
    const [status] = (await closed) as [number | null];
    return { status, stdout, stderr };
  }

  it('exits with the command’s code once a slow reader has every line, though a timer is still set', async () => {
    const { status, stdout, stderr } = await slowlyRead([]);
    const lines = stdout.split('\n');
    expect(lines).toHaveLength(20_001);
    expect(lines.at(-2)).toBe(`line 19999 ${'x'.repeat(100)}`);
    expect(stderr).toBe('done\n');
    expect(status).toBe(3);
  });

  it('exits 2 on a usage error, saying so in one line that points at --help', async () => {
    const { status, stderr } = await slowlyRead(['--bad']);
    expect(stderr).toBe('--bad is bad (--help shows the usage)\n');
    expect(status).toBe(2);
  });
});
