import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedNodeOptions } from '../../scripts/build/code-cache';
import { INSTANCE_MB } from '../../scripts/bench/memory';
import { BEYOND_THE_INSTANCE, LARGER_FUNCTION, largeEvent, PLANTED, INSTANCE_HOLDS, sizedMb, type LargeShape } from '../../scripts/bench/large-events';
import { randomKeys } from '../../scripts/local-cos/keys';
import { LOCAL_BUCKET, LOCAL_REGION } from '../../scripts/local-cos/local-setup';
import { startLocalCos, type LocalCos } from '../../scripts/local-cos/server';
import { SCF_NODE } from '../../scripts/scf-node';
import { OVERSIZE_BYTES } from '../../src/oversize';
import { NormalizedRecordSchema } from '../../src/record';
import { unpackedFunction } from '../support/packaged-function';

/*
 * Synchronous events of half a megabyte to 6 MB (SCF's limit), in the shapes that cost the most
 * memory (scripts/bench/large-events.ts), each handed to the packaged function as SCF hands it: a
 * fresh process of SCF's Node 18.15 with serverless.yml's NODE_OPTIONS, the event parsed from its
 * text, the text kept (as SCF's runtime may keep it), then main_handler, against the local COS.
 * Each must end stored, its credential masked, the process's peak RSS under the instance's 128 MB;
 * a crash fails the test. Where SCF's own parse of the event, before the function runs, cannot fit
 * a 128 MB instance, that is checked instead, and the event stored with the heap docs/deploy.md
 * gives a function that takes such events.
 */

const run = promisify(execFile);

const MB = 1024 * 1024;

/** Parses the event's file as SCF does, keeps the text, calls main_handler, writes what came back. */
const DRIVER = `
const fs = require('node:fs');
const [file, out] = process.argv.slice(1);
const text = fs.readFileSync(file, 'utf8');
const event = JSON.parse(text);
const { main_handler } = require('./index.js');
main_handler(event, { request_id: 'large', function_name: 'mps-cos-backup', time_limit_in_ms: 30000 }).then(
  (summary) => fs.writeFileSync(out, JSON.stringify({ summary, kept: text.length, peakRssMb: process.resourceUsage().maxRSS / 1024 })),
  (e) => fs.writeFileSync(out, JSON.stringify({ error: { name: e.name, message: e.message, retryable: e.retryable }, kept: text.length })),
);
`;

/** SCF's runtime alone: the event's file parsed, nothing else; its peak RSS in MB. */
const PARSE_ONLY = `JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8')); process.stdout.write(String(process.resourceUsage().maxRSS / 1024));`;

interface Outcome {
  summary?: { result: string; objects?: Record<'raw' | 'normalized', { key: string; bytes: number }> };
  error?: { name: string; message: string; retryable?: boolean };
  peakRssMb?: number;
}

describe('synchronous events of 0.5 to 6 MB, in the packaged function on SCF Node 18.15 with the shipped heap', () => {
  let dir: string;
  let unpacked: string;
  let cos: LocalCos;
  let keys: ReturnType<typeof randomKeys>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'large-events-'));
    ({ unpacked } = await unpackedFunction(dir));
    keys = randomKeys();
    cos = await startLocalCos({ root: join(dir, 'cos'), keys, buckets: [LOCAL_BUCKET] });
  });
  afterAll(async () => {
    await cos.close();
    await rm(dir, { recursive: true, force: true });
  });

  const env = (nodeOptions: string) => ({
    PATH: process.env.PATH ?? '',
    NODE_OPTIONS: nodeOptions,
    COS_BUCKET: LOCAL_BUCKET,
    COS_REGION: LOCAL_REGION,
    COS_ENDPOINT: cos.endpoint,
    COS_TIMEOUT_MS: '10000',
    LOG_LEVEL: 'silent',
    TENCENTCLOUD_SECRETID: keys.secretId,
    TENCENTCLOUD_SECRETKEY: keys.secretKey,
  });

  async function eventFile(shape: LargeShape, mb: number) {
    const event = largeEvent(shape, sizedMb(mb));
    const file = join(dir, `${shape.replaceAll(' ', '-')}-${mb}.json`);
    await writeFile(file, event.text);
    return { ...event, file };
  }

  async function invoke(file: string, nodeOptions: string): Promise<Outcome> {
    const out = `${file}.out`;
    await run(SCF_NODE, ['-e', DRIVER, file, out], { cwd: unpacked, env: env(nodeOptions), maxBuffer: 16 * MB });
    return JSON.parse(await readFile(out, 'utf8')) as Outcome;
  }

  /** The raw object and record stored for an event: the text with its credential masked, and a record that says so. */
  async function expectStored(outcome: Outcome, text: string, masked: string) {
    expect(outcome.error).toBeUndefined();
    expect(outcome.summary?.result).toBe('archived');
    const { raw, normalized } = outcome.summary!.objects!;
    const stored = await readFile(join(cos.root, LOCAL_BUCKET, raw.key), 'utf8');
    expect(stored.includes(PLANTED)).toBe(false);
    expect(stored === masked).toBe(true);
    const record = NormalizedRecordSchema.parse(JSON.parse(await readFile(join(cos.root, LOCAL_BUCKET, normalized.key), 'utf8')));
    expect(record).toMatchObject({ task_id: 'large-event', status: 'FINISH', raw_key: raw.key, oversize: { bytes: text.length, limit: OVERSIZE_BYTES } });
  }

  /** Why SCF's own parse of the event, under the shipped settings, does not fit a 128 MB instance; undefined when it does. */
  async function parseBeyondInstance(file: string): Promise<string | undefined> {
    try {
      const { stdout } = await run(SCF_NODE, ['-e', PARSE_ONLY, file], { env: env(shippedNodeOptions()) });
      return Number(stdout) >= INSTANCE_MB ? `peak RSS past ${INSTANCE_MB} MB` : undefined;
    } catch (error) {
      if (/JavaScript heap out of memory/.test((error as { stderr?: string }).stderr ?? '')) return 'heap out of memory';
      throw error;
    }
  }

  it.each(INSTANCE_HOLDS)('stores %s, %d MB, masked, within the shipped heap and 128 MB', async (shape, mb) => {
    const { file, text, masked } = await eventFile(shape, mb);
    const outcome = await invoke(file, shippedNodeOptions());
    await expectStored(outcome, text, masked);
    expect(outcome.peakRssMb).toBeLessThan(INSTANCE_MB);
  });

  it.each(BEYOND_THE_INSTANCE)("cannot take %s, %d MB: SCF's own parse does not fit 128 MB; stores it with the heap of a larger function", async (shape, mb) => {
    const { file, text, masked } = await eventFile(shape, mb);
    expect(await parseBeyondInstance(file)).toMatch(/^(heap out of memory|peak RSS past)/);
    await expectStored(await invoke(file, LARGER_FUNCTION.nodeOptions), text, masked);
  });
});
