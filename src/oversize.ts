import { createHash } from 'node:crypto';
import { eventHead } from './event/head';
import { undocumentedBody } from './event/schema';
import { bothVisitors, scanJson } from './json-scan';
import { createMasking } from './mask/text';
import { unparsedMasking } from './mask/unparsed';

/*
 * A synchronous Invoke can send SCF 6 MB, where MPS sends at most 128 KB. Parsed into values,
 * copied and walked, a few megabytes of deep nesting or of tiny objects take more than the heap of
 * a 128 MB instance, and the instance dies with nothing stored. A payload over OVERSIZE_BYTES is
 * therefore read as text, once, in memory linear in its length: masked string by string
 * (mask/unparsed.ts) and stored whole, with a record of its head (event/head.ts).
 */

/**
 * The size of a payload's JSON text above which it is read as text: twice the largest event MPS
 * sends (SCF's limit for an asynchronous invocation), so that every MPS event is normalized in
 * full, however its JSON is spelled. BENCHMARKS.md (section 4) measures both paths at their worst.
 */
export const OVERSIZE_BYTES = 256 * 1024;

export const isOversize = (text: string): boolean => text.length > OVERSIZE_BYTES || Buffer.byteLength(text) > OVERSIZE_BYTES;

/** Text is written out in pieces of about this many characters. */
const PIECE = 64 * 1024;

/** A payload over OVERSIZE_BYTES, read once: its text masked (the raw object's bytes and their MD5) and its event's head. */
export interface OversizeRead {
  raw: Buffer;
  digest: Buffer;
  /** The event as parseEvent validates it, cut to its head (event/head.ts). */
  head: unknown;
}

/** Reads JSON text as above; undefined when it is not JSON. `canonical`: the text is JSON.stringify's. */
export function readOversize(json: string, canonical: boolean): OversizeRead | undefined {
  const chunks: Buffer[] = [];
  const hash = createHash('md5');
  let pending = '';
  const flush = () => {
    const chunk = Buffer.from(pending);
    chunks.push(chunk);
    hash.update(chunk);
    pending = '';
  };
  const masker = unparsedMasking(json, canonical, createMasking(false), (piece) => {
    pending += piece;
    if (pending.length >= PIECE) flush();
  });
  const head = eventHead(json, masker.maskedAt);
  if (!scanJson(json, bothVisitors(masker, head.visitor))) return undefined;
  masker.finish();
  flush();
  const read = head.head();
  const body = undocumentedBody(read);
  return { raw: Buffer.concat(chunks), digest: hash.digest(), head: body === undefined ? read : headWithBody(json, canonical, body) };
}

/**
 * The head with the body of a type no model documents, which only the EventType names, read where
 * it may be: by a second scan, masked as the first masked it. The first scan does not keep every
 * field that could be such a body until it knows which: a few megabytes of them (`"a1Event":{…}`)
 * are more than the heap holds.
 */
function headWithBody(json: string, canonical: boolean, body: string): unknown {
  const masker = unparsedMasking(json, canonical, createMasking(false), () => {});
  const head = eventHead(json, masker.maskedAt, new Set([body]));
  scanJson(json, bothVisitors(masker, head.visitor));
  return head.head();
}
