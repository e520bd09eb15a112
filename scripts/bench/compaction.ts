import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'yaml';
import { compactDay, listDay } from '../../src/compact/compact';
import { addPartition } from '../../src/compact/handler';
import { loadConfig, readCredentials } from '../../src/config';
import { dayKeys } from '../../src/keys';
import { plan } from '../../src/plan';
import type { NormalizedRecord } from '../../src/record';
import { cosArchive, type Archive, type ListedObject } from '../../src/store/archive';
import type { ObjectStore } from '../../src/store/store';
import { PROJECT } from '../build/bundle';
import { commandLine, run } from '../cli';
import { LOCAL_BUCKET, localEnv } from '../local-cos/local-setup';
import { randomKeys } from '../local-cos/keys';
import type { Keys } from '../local-cos/signature';
import { startLocalCos, type LocalCos } from '../local-cos/server';
import { archiveFiles } from '../query/catalog';
import { pull } from '../query/pull';
import { withBuilds } from './variants';
import { duckdbViews, quote } from '../query/views';
import { fetchScfNode } from '../scf-node';

/*
 * Compaction, measured: an archive of `eventsPerDay` WorkflowTask events a day (one partition a
 * day, the worst case) for `days` days, 2% of them delivered again an hour later, and a day of
 * `bigDay` events, in the local COS. The compactor itself (compact.js of the zip, its timer
 * handler) compacts the first day and the big day on SCF's Node with the NODE_OPTIONS of
 * serverless.compact.yml, through the COS SDK over HTTP; its process's peak RSS is the big
 * day's. DuckDB answers a GROUP BY through the views of `npm run query` over a day and over the
 * week, before compaction (per-event JSON) and after (Parquet); and a --pull of the week is
 * counted in requests.
 */

const execute = promisify(execFile);
const PREFIX = 'mps-events';
const REDELIVERED = 0.02;
/** The README's first query. */
const GROUP_BY = 'SELECT outcome, count(*) AS n FROM events GROUP BY ALL';
/** Runs of each query but the week's from JSON (minutes at full size, where the others take a few seconds); the median is kept. */
const QUERY_RUNS = 3;

export interface CompactionSizes {
  eventsPerDay: number;
  days: number;
  bigDay: number;
}

export const COMPACTION_SIZES: CompactionSizes = { eventsPerDay: 100_000, days: 7, bigDay: 200_000 };
export const QUICK_COMPACTION_SIZES: CompactionSizes = { eventsPerDay: 1_000, days: 2, bigDay: 2_000 };

export interface CompactionRow {
  what: string;
  measured: string;
  aim: string;
  verdict: string;
}

const f = (n: number, digits = 1) => n.toFixed(digits);
const dayBefore = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The WorkflowTask fixtures as records, which the archive's events take turns to be. */
function templates(): NormalizedRecord[] {
  const names = ['workflow-task-docs-sample', 'workflow-task-all-failed', 'workflow-task-success', 'workflow-task-source-failed', 'workflow-task-processing'];
  return names.map((name) => {
    const event = JSON.parse(readFileSync(join(PROJECT, 'fixtures', 'events', `${name}.json`), 'utf8'));
    const planned = plan(event, { requestId: 'bench', functionName: 'mps-cos-backup', receivedAt: new Date(), deadline: Infinity }, { prefix: PREFIX, timeZone: 'UTC' });
    if (planned.kind !== 'archive') throw new Error(`${name} is not an event`);
    return planned.record;
  });
}

/**
 * A day of events written straight into the local COS's files, as the function writes them, and
 * dated as the day they were written (the objects, their files and their folders).
 */
async function writeDay(cos: LocalCos, day: string, events: number, bases: NormalizedRecord[]): Promise<number> {
  const time = new Date(Date.parse(`${day}T23:59:00Z`));
  const written = time.toUTCString();
  let objects = 0;
  const put = async (record: NormalizedRecord, hour: number) => {
    const body = Buffer.from(`${JSON.stringify({ ...record, received_at: `${day}T${String(hour).padStart(2, '0')}:30:00.000Z` })}\n`);
    const key = `${dayKeys(PREFIX, 'WorkflowTask', day).normalized}hour=${String(hour).padStart(2, '0')}/${record.task_id}_${record.status}_${record.event_id.slice(0, 16)}.json`;
    await cos.files.put(LOCAL_BUCKET, key, body, { contentType: 'application/json', etag: `"${createHash('md5').update(body).digest('hex')}"`, size: body.length, storageClass: 'STANDARD', lastModified: written, userMeta: {} });
    objects += 1;
  };
  for (let i = 0; i < events; i += 64) {
    await Promise.all(
      Array.from({ length: Math.min(64, events - i) }, async (_, j) => {
        const n = i + j;
        const base = bases[n % bases.length]!;
        const id = createHash('md5').update(`${day}/${n}`).digest('hex');
        const record = { ...base, event_id: id, task_id: `${(base.task_id ?? '').slice(0, 40)}-${n}`, request_id: id.slice(0, 8) };
        const hour = n % 23;
        await put(record, hour);
        if (n % Math.round(1 / REDELIVERED) === 0) await put(record, hour + 1);
      }),
    );
  }
  const dayDir = join(cos.root, LOCAL_BUCKET, dayKeys(PREFIX, 'WorkflowTask', day).normalized);
  for (const entry of await readdir(dayDir, { recursive: true, withFileTypes: true })) await utimes(join(entry.parentPath, entry.name), time, time);
  return objects;
}

/** The local COS's own files as the compactor's archive and store, without HTTP: for the days not measured. */
function filesArchive(cos: LocalCos): Archive & ObjectStore {
  return {
    async list(prefix) {
      const objects: ListedObject[] = [];
      for (let marker = ''; ; ) {
        const page = await cos.files.list(LOCAL_BUCKET, prefix, marker, 1000);
        objects.push(...page.objects.map(({ key, meta }) => ({ key, etag: meta.etag.replaceAll('"', ''), size: meta.size, lastModified: new Date(meta.lastModified).toISOString() })));
        if (!page.truncated) return objects;
        marker = page.objects.at(-1)!.key;
      }
    },
    folders: () => Promise.reject(new Error('not needed')),
    async get(key) {
      return (await cos.files.get(LOCAL_BUCKET, key))!.body;
    },
    remove: () => Promise.reject(new Error('not needed')),
    async put({ key, body, contentType }) {
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      await cos.files.put(LOCAL_BUCKET, key, body, { contentType: contentType ?? 'application/json', etag, size: body.length, storageClass: 'STANDARD', lastModified: new Date().toUTCString(), userMeta: {} });
    },
  };
}

/** Median time of the GROUP BY as `npm run query` runs it (listing the files, the views, the query), over those days. */
async function queryMs(root: string, from: string, to: string, runs = QUERY_RUNS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      const started = performance.now();
      await db.run(`SET file_search_path = ${quote(root)}`);
      await db.run(duckdbViews({ prefix: PREFIX, from, to }, archiveFiles(root, { prefix: PREFIX, from, to })));
      await db.runAndReadAll(GROUP_BY);
      times.push(performance.now() - started);
    } finally {
      db.closeSync();
    }
  }
  return median(times);
}

interface HandlerRun {
  days: { dt: string; rows: number; source_objects: number; parts: number; ms: number }[];
  peakRssMb: number;
  /** The compactor process's own CPU time, all of its run. */
  cpuMs: number;
}

/** The zip's compact.js, its timer handler, on SCF's Node as serverless.compact.yml runs it. */
async function runCompactor(dir: string, cos: LocalCos, keys: Keys): Promise<HandlerRun> {
  const yml = parse(readFileSync(join(PROJECT, 'serverless.compact.yml'), 'utf8')) as { inputs: { environment: { variables: Record<string, string> } } };
  const driver = `
    const { compact_handler } = require('./index.js');
    compact_handler({ Type: 'timer' }, { request_id: 'bench', time_limit_in_ms: 900000 }).then(() => {
      const { userCPUTime, systemCPUTime, maxRSS } = process.resourceUsage();
      process.stderr.write(JSON.stringify({ peakRssMb: maxRSS / 1024, cpuMs: (userCPUTime + systemCPUTime) / 1000 }));
    });
  `;
  const { stdout, stderr } = await execute(fetchScfNode(), ['-e', driver], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: yml.inputs.environment.variables.NODE_OPTIONS ?? '', ...localEnv(cos, keys) },
    maxBuffer: 64 * 2 ** 20,
  });
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { days: lines.filter((l) => l.msg === 'Day compacted') as unknown as HandlerRun['days'], ...(JSON.parse(stderr) as { peakRssMb: number; cpuMs: number }) };
}

/** `functionDir`: the function as packaged (dist/function, with compact.js). */
export async function measureCompaction(sizes: CompactionSizes, functionDir: string): Promise<CompactionRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-compaction-'));
  const keys = randomKeys();
  const cos = await startLocalCos({ root: join(dir, 'cos'), keys, buckets: [LOCAL_BUCKET] });
  try {
    const root = join(cos.root, LOCAL_BUCKET);
    const bases = templates();
    // Closed days: the week ends the day before yesterday, the big day is yesterday.
    const week = Array.from({ length: sizes.days }, (_, i) => dayBefore(sizes.days + 1 - i));
    const [first, last] = [week[0]!, week.at(-1)!];
    const big = dayBefore(1);
    const objects: Record<string, number> = {};
    for (const day of week) objects[day] = await writeDay(cos, day, sizes.eventsPerDay, bases);
    objects[big] = await writeDay(cos, big, sizes.bigDay, bases);

    const jsonDayMs = await queryMs(root, first, first);
    const jsonWeekMs = await queryMs(root, first, last, 1);

    // The week's other days, compacted without HTTP: what is measured is the first day and the big day.
    const files = filesArchive(cos);
    for (const day of week.slice(1)) await compactDay(files, files, await listDay(files, PREFIX, 'WorkflowTask', day), { prefix: PREFIX, deadline: Infinity });
    const compacted = await runCompactor(functionDir, cos, keys);
    const measured = compacted.days.find((d) => d.dt === first)!;
    const bigRun = compacted.days.find((d) => d.dt === big)!;

    const parquetDayMs = await queryMs(root, first, first);
    const parquetWeekMs = await queryMs(root, first, last);

    const into = join(dir, 'pulled');
    const before = cos.requests.length;
    const env = localEnv(cos, keys);
    await pull(cosArchive(loadConfig(env), readCredentials(env)), { prefix: PREFIX, from: first, to: last, into });
    const requests = cos.requests.slice(before);
    const lists = requests.filter((r) => r.method === 'GET' && r.key === '').length;
    const gets = requests.filter((r) => r.method === 'GET' && r.key !== '').length;
    const weekObjects = week.reduce((n, d) => n + objects[d]!, 0);
    // Without compaction a pull GETs every per-event record and its raw event, and lists them a thousand a page.
    const jsonPull = 2 * weekObjects + 2 * Math.ceil(weekObjects / 1000);

    const dayRatio = jsonDayMs / parquetDayMs;
    const eventsPerSecond = (measured.source_objects / measured.ms) * 1000;
    // What the compactor's own process spends on an object, whatever else the machine runs (the local COS, here, in this process).
    const cpuPerObjectMs = compacted.cpuMs / (measured.source_objects + bigRun.source_objects);
    const row = (what: string, measuredText: string, aim = '', verdict = ''): CompactionRow => ({ what, measured: measuredText, aim, verdict });
    const met = (ok: boolean) => (ok ? 'met' : 'not met');
    return [
      row(`compaction of a day of ${sizes.eventsPerDay} events (${measured.source_objects} objects, 2% redeliveries), compact.js on SCF's Node through the local COS`, `${f(measured.ms / 1000)} s, ${f(eventsPerSecond, 0)} objects/s, ${measured.rows} rows; the compactor's own CPU ${f(cpuPerObjectMs, 2)} ms an object (${f(1000 / cpuPerObjectMs, 0)} objects per CPU second)`, '≥ 1,000 events/s', met(eventsPerSecond >= 1000)),
      row(`Parquet parts of that day (objects before → after)`, `${measured.parts} part(s) and a manifest, from ${measured.source_objects} objects`, '≤ 4 files per partition', met(measured.parts <= 4)),
      row(`compaction of a day of ${sizes.bigDay} events, same process (NODE_OPTIONS of serverless.compact.yml)`, `${f(bigRun.ms / 1000)} s, ${bigRun.parts} part(s); peak RSS of the process ${f(compacted.peakRssMb, 0)} MB`, 'inside 512 MB', met(compacted.peakRssMb < 512)),
      row(`GROUP BY of a day through the views (views and query), JSON → Parquet`, `${f(jsonDayMs, 0)} ms → ${f(parquetDayMs, 0)} ms (${f(dayRatio, 0)}×)`, '≥ 20× faster', met(dayRatio >= 20)),
      row(`GROUP BY of ${sizes.days} days, JSON → Parquet`, `${f(jsonWeekMs, 0)} ms → ${f(parquetWeekMs, 0)} ms (${f(jsonWeekMs / parquetWeekMs, 0)}×)`),
      row(`requests of a --pull of the ${sizes.days} days, compacted (counted) against per-event (computed)`, `${lists} lists + ${gets} GETs, against ${jsonPull} (every record and raw event, and their listing)`),
      row('DLC statements printed and logged per day', addPartition('WorkflowTask', first)),
    ];
  } finally {
    await cos.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const USAGE = `tsx scripts/bench/compaction.ts [--quick]

Measures compaction (see the top of this file) and prints its table. npm run bench runs it too.
Takes several minutes; --quick runs it small (${QUICK_COMPACTION_SIZES.eventsPerDay} events a day).

  -h, --help   this text`;

if (require.main === module) {
  run(async (argv) => {
    const args = commandLine(argv, USAGE, { quick: { type: 'boolean' } });
    if (!args) return;
    const sizes = args.values.quick ? QUICK_COMPACTION_SIZES : COMPACTION_SIZES;
    const rows = await withBuilds(async (builds) => measureCompaction(sizes, dirname(await builds.file('function'))));
    process.stdout.write(rows.map((r) => `${r.what}: ${r.measured}${r.aim && ` (aim ${r.aim}: ${r.verdict})`}\n`).join(''));
  });
}
