import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/*
 * A lock between processes, as a file holding the holder's process id. Node has no flock; a file
 * linked into place is created whole or not at all, and a holder that is gone (a deploy stopped
 * with Ctrl-C) is seen by its process id, so its lock is taken over rather than waited on.
 */

/** Whether the process is running; EPERM means it runs as another user. */
function running(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `work` holding `lock`, once no running process holds it; `waiting` hears of the holder once. */
export async function exclusively<T>(lock: string, work: () => Promise<T>, options: { waiting?: (pid: number) => void; pollMs?: number } = {}): Promise<T> {
  await mkdir(dirname(lock), { recursive: true });
  // Linked into place whole, so that no one ever reads a lock without its process id.
  const mine = `${lock}.${randomUUID()}`;
  await writeFile(mine, String(process.pid));
  let heard: number | undefined;
  try {
    for (;;) {
      try {
        await link(mine, lock);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
        if (!running(holder)) {
          await rm(lock, { force: true });
          continue;
        }
        if (holder !== heard) options.waiting?.(holder);
        heard = holder;
        await sleep(options.pollMs ?? 200);
      }
    }
  } finally {
    await rm(mine, { force: true });
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}
