import type { StorageError } from '../errors';

/** One object to store: its key, the exact bytes to write and their MD5 (base64). */
export interface StoredObject {
  key: string;
  body: Buffer;
  md5: string;
  /** application/json unless said: the function writes only JSON, the compactor Parquet too. */
  contentType?: string;
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

/** What was stored of an object. */
export interface Written {
  key: string;
  bytes: number;
}

/**
 * Writes the named objects in parallel and waits for every one to settle before reporting, so
 * that no attempt is still running when the handler returns and SCF freezes the instance (a
 * request the COS store gave up on at its timeout may be: it can only write the same bytes).
 * Resolves only once every object is stored, with what was written under each name.
 */
export async function writeAll<Name extends string>(
  store: ObjectStore,
  objects: Record<Name, StoredObject>,
  options: PutOptions,
): Promise<Record<Name, Written>> {
  const named = Object.entries<StoredObject>(objects);
  const results = await Promise.allSettled(named.map(([, o]) => store.put(o, options)));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return Object.fromEntries(named.map(([name, o]) => [name, { key: o.key, bytes: o.body.length }])) as Record<Name, Written>;
}
