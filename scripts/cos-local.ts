import { commandLine, run, UsageError } from './cli';
import { localKeys } from './local-cos/keys';
import { LOCAL_BUCKET, LOCAL_ROOT, localEnv } from './local-cos/local-setup';
import { startLocalCos } from './local-cos/server';

const USAGE = `npm run cos:local

Runs the local COS emulator on its own and prints the environment that points the function (or
anything using the COS SDK) at it. Ctrl-C stops it. From the environment:
  LOCAL_COS_PORT        port on 127.0.0.1 (default 9000; 0 for any free one)
  LOCAL_COS_DIR         where objects are kept (default .local-cos/), with the keys, which stay
                        the same from one run to the next
  LOCAL_COS_BUCKETS     buckets, comma-separated (default ${LOCAL_BUCKET})
  LOCAL_COS_LATENCY_MS  how long after its request each answer leaves, standing for the network
                        and COS's own time (default 0)`;

/** A whole number from min to max, or a UsageError naming the variable. */
function numberFrom(name: string, fallback: number, max: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max) throw new UsageError(`${name}=${text} is not a whole number from 0 to ${max}`);
  return value;
}

async function main(argv: string[]) {
  if (!commandLine(argv, USAGE, {})) return;
  const port = numberFrom('LOCAL_COS_PORT', 9000, 65535);
  const latencyMs = numberFrom('LOCAL_COS_LATENCY_MS', 0, 60_000);
  const root = process.env.LOCAL_COS_DIR || LOCAL_ROOT;
  const keys = localKeys(root);
  const cos = await startLocalCos({
    root,
    keys,
    buckets: (process.env.LOCAL_COS_BUCKETS || LOCAL_BUCKET).split(',').map((b) => b.trim()),
    port,
    latencyMs,
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new UsageError(`Port ${port} is in use: stop what listens there, or choose another with LOCAL_COS_PORT`);
  });
  // Listening for the signals before the environment is printed: whoever acts on it may stop this
  // at once. Ctrl-C reaches this process twice, from the terminal and relayed by npm: both only
  // stop it, and the promise resolves once the port is closed, so that nothing is left open.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => void cos.close().then(resolve);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write(`Local COS listening on ${cos.endpoint}, storing under ${cos.root}\n`);
  process.stderr.write('Point the function at it with:\n');
  for (const [name, value] of Object.entries(localEnv(cos, keys))) process.stdout.write(`export ${name}=${value}\n`);
  process.stderr.write('Ctrl-C stops it.\n');
  await stopped;
  process.stderr.write('Local COS stopped.\n');
}

run(main);
