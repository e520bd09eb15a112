import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * A memory cgroup with a limit, as SCF gives an instance its memory, for the processes the memory
 * benchmark starts: the kernel then charges them as it would the instance, and ends one that goes
 * past the limit. Made where the machine lets the bench make one: as root, under this process's
 * own cgroup, with cgroup v1's memory controller (memory.limit_in_bytes) or v2's (memory.max).
 */

export interface MemoryCgroup {
  version: 'v1' | 'v2';
  path: string;
  limitMb: number;
}

const MB = 1024 * 1024;

/** Where a hierarchy is mounted, from /proc/self/mountinfo: fields 5 (mount point) and, after " - ", the type and options. */
function mountOf(type: string, option?: string): string | undefined {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [before, after] = line.split(' - ');
    const [fsType, , options] = (after ?? '').split(' ');
    if (fsType === type && (option === undefined || options?.split(',').includes(option))) return before!.split(' ')[4];
  }
  return undefined;
}

/** This process's cgroup in a hierarchy, from /proc/self/cgroup: `memory` for v1's, '' for v2's. */
function ownCgroup(controller: string): string | undefined {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers !== undefined && (controller === '' ? controllers === '' : controllers.split(',').includes(controller))) return path;
  }
  return undefined;
}

const write = (path: string, value: string) => writeFileSync(path, value);

/** A new cgroup limited to `limitMb`, swap included; or why none can be made here. */
export function makeMemoryCgroup(limitMb: number, name: string): MemoryCgroup | { unavailable: string } {
  try {
    const v1 = mountOf('cgroup', 'memory');
    const v1Own = ownCgroup('memory');
    if (v1 !== undefined && v1Own !== undefined) {
      const path = join(v1, v1Own, name);
      mkdirSync(path);
      write(join(path, 'memory.limit_in_bytes'), String(limitMb * MB));
      // With swap accounting on, the limit on memory and swap together too: no swapping past it.
      if (existsSync(join(path, 'memory.memsw.limit_in_bytes'))) write(join(path, 'memory.memsw.limit_in_bytes'), String(limitMb * MB));
      return { version: 'v1', path, limitMb };
    }
    const v2 = mountOf('cgroup2');
    const v2Own = ownCgroup('');
    if (v2 !== undefined && v2Own !== undefined) {
      const path = join(v2, v2Own, name);
      mkdirSync(path);
      write(join(path, 'memory.max'), String(limitMb * MB));
      if (existsSync(join(path, 'memory.swap.max'))) write(join(path, 'memory.swap.max'), '0');
      return { version: 'v2', path, limitMb };
    }
    return { unavailable: 'this machine mounts no memory cgroup controller' };
  } catch (error) {
    return { unavailable: `no memory cgroup could be made (${(error as Error).message})` };
  }
}

/** The command and arguments that run `file args` inside the cgroup: a shell moves itself in, then becomes the command. */
export const inCgroup = (cgroup: MemoryCgroup, file: string, args: string[]): [string, string[]] => [
  '/bin/sh',
  ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', cgroup.path, file, ...args],
];

/** The most memory the kernel charged to the cgroup, in MB; and how many processes it ended for going past the limit. */
export function cgroupUsage(cgroup: MemoryCgroup): { peakMb: number; oomKills: number } {
  const read = (file: string) => readFileSync(join(cgroup.path, file), 'utf8');
  const oomKill = (text: string) => Number(/^oom_kill (\d+)$/m.exec(text)?.[1] ?? 0);
  if (cgroup.version === 'v1') return { peakMb: Number(read('memory.max_usage_in_bytes')) / MB, oomKills: oomKill(read('memory.oom_control')) };
  return { peakMb: Number(read('memory.peak')) / MB, oomKills: oomKill(read('memory.events')) };
}

export const removeCgroup = (cgroup: MemoryCgroup): void => rmdirSync(cgroup.path);
