import type { StorageError } from '../errors';

/** One object to store: its key, the exact bytes to write (always JSON) and their MD5 (base64). */
export interface StoredObject {
  key: string;
  body: Buffer;
  md5: string;
}

export interface PutOptions {
  /** Epoch ms by which the object is stored or a StorageError thrown. */
  deadline: number;
  /** `backupDomain`: the next attempt goes to COS's backup domain, the default one having given no answer. */
  onRetry?: (error: StorageError, attempt: number, delayMs: number, backupDomain: boolean) => void;
  /** COS's clock was found apart from the instance's: requests are signed with COS's time from now on. */
  onClockCorrected?: (offsetMs: number) => void;
}

export interface ObjectStore {
  put(object: StoredObject, options: PutOptions): Promise<void>;
}

/**
 * Writes the objects in parallel and waits for every one to settle before reporting, so that
 * no attempt is still running when the handler returns and SCF freezes the instance (a request
 * the COS store gave up on at its timeout may be: it can only write the same bytes).
 */
export async function writeAll(
  store: ObjectStore,
  objects: StoredObject[],
  options: PutOptions,
): Promise<{ key: string; bytes: number }[]> {
  const results = await Promise.allSettled(objects.map((o) => store.put(o, options)));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return objects.map((o) => ({ key: o.key, bytes: o.body.length }));
}
