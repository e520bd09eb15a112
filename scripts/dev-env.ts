import { randomUUID } from 'node:crypto';
import { join, relative } from 'node:path';
import { loadConfig } from '../src/config';
import type { Handler } from '../src/handler';
import { randomKeys } from './local-cos/keys';
import { LOCAL_BUCKET, LOCAL_REGION, LOCAL_ROOT, localEnv } from './local-cos/local-setup';
import { startLocalCos } from './local-cos/server';
import { startLocalScf } from './local-scf/server';

/*
 * What `npm run invoke` and `npm run replay` share: where the function writes, the handler
 * itself, and the context SCF would pass it. Readable lines go to stderr, so that the function's
 * JSON logs keep stdout to themselves.
 */

export const say = (line: string) => process.stderr.write(`${line}\n`);

/** Where the command was run: npm runs scripts from the project root and keeps this in INIT_CWD. */
export const RUN_FROM = process.env.INIT_CWD || process.cwd();

/** Relative to where the command was run when inside it, absolute otherwise. */
export function shortPath(path: string, from = RUN_FROM): string {
  const rel = relative(from, path);
  return rel.startsWith('..') ? path : rel;
}

/** The name invoke and replay give the function, in its context as in SCF_FUNCTIONNAME. */
const FUNCTION_NAME = 'mps-cos-backup';

/**
 * With no COS_BUCKET (or when asked), points the environment at a local COS under .local-cos/
 * (or LOCAL_COS_DIR), and at a local SCF API knowing every FORWARD_TO target. Otherwise the
 * environment names a real bucket and nothing starts. Returns where the objects go.
 *
 * Locally, what the user set is first checked as the function checks it, the local values
 * standing in only for what is unset: the emulator's then replace some of it, and a value the
 * function would refuse must not pass unseen. The user is told which variables are replaced.
 */
export async function setUpCloud(forceLocal: boolean): Promise<{ where: string; close: () => Promise<void> }> {
  if (!forceLocal && process.env.COS_BUCKET) {
    say(`Writing to cos://${process.env.COS_BUCKET}`);
    return { where: `cos://${process.env.COS_BUCKET}`, close: async () => undefined };
  }
  const set = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value));
  loadConfig({ COS_BUCKET: LOCAL_BUCKET, COS_REGION: LOCAL_REGION, SCF_FUNCTIONNAME: FUNCTION_NAME, ...set });

  const keys = randomKeys();
  const cos = await startLocalCos({ root: process.env.LOCAL_COS_DIR || LOCAL_ROOT, keys, buckets: [LOCAL_BUCKET] });
  say(`Local COS on ${cos.endpoint}`);
  const local = localEnv(cos, keys);
  let closeScf = async (): Promise<void> => undefined;
  if (process.env.FORWARD_TO) {
    const functions = process.env.FORWARD_TO.split(',').map((t) => t.trim().replace(/:.*$/, ''));
    const scf = await startLocalScf({ keys, functions });
    local.SCF_API_ENDPOINT = scf.endpoint;
    say(`Local SCF API on ${scf.endpoint}, forwarding to ${process.env.FORWARD_TO}`);
    closeScf = () => scf.close();
  }
  const replaced = Object.keys(local).filter((name) => name in set);
  say(`Local mode sets ${Object.keys(local).join(', ')}${replaced.length > 0 ? `; what you set for ${replaced.join(', ')} is not used` : ''}`);
  Object.assign(process.env, local);
  return {
    where: shortPath(join(cos.root, LOCAL_BUCKET)),
    close: async () => {
      await cos.close();
      await closeScf();
    },
  };
}

/**
 * The SCF entry point, imported only now, so that its cold start reads the environment set above.
 * SCF sets SCF_FUNCTIONNAME to the name in the context; so does this, so that FORWARD_TO naming
 * the function itself is refused here as it is in SCF.
 */
export async function loadHandler(): Promise<Handler> {
  process.env.SCF_FUNCTIONNAME ||= FUNCTION_NAME;
  return ((await import('../src/index')) as { main_handler: Handler }).main_handler;
}

/** The context SCF passes, with the fields the runtime documents. */
export function scfContext(env: NodeJS.ProcessEnv) {
  return {
    request_id: randomUUID(),
    function_name: env.SCF_FUNCTIONNAME || FUNCTION_NAME,
    function_version: '$LATEST',
    namespace: 'default',
    memory_limit_in_mb: 128,
    time_limit_in_ms: 30_000,
    tencentcloud_region: env.COS_REGION || env.TENCENTCLOUD_REGION || '',
    tencentcloud_appid: (env.COS_BUCKET ?? '').split('-').at(-1) ?? '',
    tencentcloud_uin: '',
  };
}
