import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Keys } from './signature';

/** Every local key starts so, which tells a stale local key from a key meant for COS. */
export const LOCAL_KEY_PREFIX = 'AKIDlocal';

/** Keys made for the emulator alone, never written down in the project. */
export function randomKeys(): Keys {
  return { secretId: `${LOCAL_KEY_PREFIX}${randomBytes(12).toString('hex')}`, secretKey: randomBytes(24).toString('base64url') };
}

/**
 * The keys of the emulator's folder, made the first time and kept beside its objects, so that
 * the environment printed by an earlier run still works after a restart.
 */
export function localKeys(root: string): Keys {
  const file = join(root, '.keys.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Keys;
  } catch {
    const keys = randomKeys();
    mkdirSync(root, { recursive: true });
    writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
    return keys;
  }
}
