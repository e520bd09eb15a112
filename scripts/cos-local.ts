import { LOCAL_BUCKET, LOCAL_ROOT, localEnv, randomKeys } from './local-cos/local-setup';
import { startLocalCos } from './local-cos/server';

/*
 * `npm run cos:local`: the local COS emulator on its own, for pointing anything at it.
 * LOCAL_COS_PORT (default 9000), LOCAL_COS_DIR (default .local-cos), LOCAL_COS_BUCKETS
 * (comma-separated, default mps-local-1250000000), LOCAL_COS_LATENCY_MS (how long after its
 * request each answer leaves, standing for the network and COS's own time; default 0). Keys are
 * made for this run and printed.
 */
async function main() {
  const keys = randomKeys();
  const cos = await startLocalCos({
    root: process.env.LOCAL_COS_DIR || LOCAL_ROOT,
    keys,
    buckets: (process.env.LOCAL_COS_BUCKETS || LOCAL_BUCKET).split(',').map((b) => b.trim()),
    port: Number(process.env.LOCAL_COS_PORT || 9000),
    latencyMs: Number(process.env.LOCAL_COS_LATENCY_MS || 0),
  });
  process.stderr.write(`Local COS listening on ${cos.endpoint}, storing under ${cos.root}\n`);
  process.stderr.write('Point the function at it with:\n');
  for (const [name, value] of Object.entries(localEnv(cos, keys))) process.stdout.write(`export ${name}=${value}\n`);
  process.stderr.write('Ctrl-C stops it.\n');
  const stop = () => void cos.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
