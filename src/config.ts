import * as z from './zod';
import { ConfigError } from './errors';
import { maskText } from './mask/text';

/*
 * The environment, read once at cold start. Each variable is declared once, in VARIABLES: what it
 * means, what it may hold and what applies when it is unset. The schema that checks the
 * environment, the list of variables, the Config the function runs with and the README's table
 * all follow from it.
 */

export interface Credentials {
  secretId: string;
  secretKey: string;
  sessionToken: string | undefined;
}

type Env = Record<string, string | undefined>;

/** A function to hand events on to: `[namespace/]function[:qualifier]` in FORWARD_TO. */
export interface ForwardTarget {
  namespace: string;
  functionName: string;
  qualifier: string;
}

const STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'INTELLIGENT_TIERING',
  'ARCHIVE',
  'DEEP_ARCHIVE',
  'MAZ_STANDARD',
  'MAZ_STANDARD_IA',
  'MAZ_INTELLIGENT_TIERING',
] as const;

/** COS_SSE: the header's values (COS docs 436/7728 and 436/18145: SSE-COS, SSE-KMS), a KMS key id after a colon. */
const SSE = /^(AES256|SM4|cos\/kms(:[A-Za-z0-9-]+)?|none)$/;

/** Server-side encryption: SSE-COS (AES256 or SM4), or SSE-KMS with COS's default key or a named one. */
export type Encryption = { algorithm: 'AES256' | 'SM4' } | { algorithm: 'cos/kms'; kmsKeyId: string | undefined };

function encryption(value: string): Encryption | undefined {
  const [algorithm, kmsKeyId] = value.split(':') as [string, string | undefined];
  if (algorithm === 'none') return undefined;
  return algorithm === 'cos/kms' ? { algorithm, kmsKeyId } : { algorithm: algorithm as 'AES256' | 'SM4' };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Prefix segments are a strict subset of what key segments may hold, so no key can escape the prefix. */
const PREFIX_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._=-]*$/;
const MAX_PREFIX_BYTES = 200;

const code = (value: string | number) => `\`${value}\``;

const unset = (v: unknown) => (v === '' ? undefined : v);

/** http(s)://host[:port] with a port from 1 to 65535, nothing before the host and nothing after it. */
function isEndpoint(value: string): boolean {
  if (!/^https?:\/\/[^/\s@]+\/?$/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.port === '' || Number(url.port) >= 1;
  } catch {
    return false;
  }
}
/** An endpoint, checked, as the URL it names. */
const endpoint = (example: string) =>
  z.pipe(
    z.string().check(z.refine(isEndpoint, { message: `must be http(s)://host[:port] with a port from 1 to 65535, e.g. ${example}` })),
    z.transform((value) => new URL(value)),
  );

function isTimeZone(zone: string): boolean {
  // Intl's first time zone costs ICU's set-up (~25 ms of cold start); UTC, the default, needs none.
  if (zone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Node's own modules that print a request's options, its headers with them (COS's signature and
 * session token), when NODE_DEBUG names them. Node reads NODE_DEBUG as it starts, before the
 * function can change it, so such a value fails the cold start. (The COS SDK's HTTP client, which
 * reads it when it loads, the loader keeps quiet: loader.ts.)
 */
const NODE_MODULES_PRINTING_REQUESTS = ['http', 'https', 'net'];

/** Whether Node takes NODE_DEBUG to name a module: names apart by commas, in any case, "*" for any characters. */
function nodeDebugNames(value: string, module: string): boolean {
  const names = value.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*').replaceAll(',', '$|^');
  return new RegExp(`^(${names})$`, 'i').test(module);
}

/** One variable: what it is for, what it may hold once set, and what applies when it is not. */
interface Variable<S extends z.ZodMiniType> {
  /** One line, as the README's configuration table gives it. */
  meaning: string;
  /** What applies when it is unset: its default, or in words what happens instead. */
  whenUnset: string;
  /** Reads the variable, unset, empty or set. */
  schema: S;
}

/** A variable set to "" is unset, as a missing one is; `clean` may tidy the text first. */
const blankIsUnset = <T extends z.ZodMiniType>(schema: T, clean: (v: unknown) => unknown = unset) => z.pipe(z.transform(clean), schema);

const required = <T extends z.ZodMiniType>(meaning: string, schema: T) => ({
  meaning,
  whenUnset: 'required',
  schema: blankIsUnset(schema),
});

const optional = <T extends z.ZodMiniType>(meaning: string, whenUnset: string, schema: T) => ({
  meaning,
  whenUnset,
  schema: blankIsUnset(z.optional(schema)),
});

const withDefault = <T extends z.ZodMiniType>(
  meaning: string,
  value: z.util.NoUndefined<z.output<T>> & (string | number),
  schema: T,
  clean?: (v: unknown) => unknown,
) => ({ meaning, whenUnset: code(value), schema: blankIsUnset(z._default(schema, value), clean) });

const VARIABLES = {
  COS_BUCKET: required(
    'target bucket, `name-appid`',
    z
      .string({ error: 'is required (the target bucket, e.g. mps-archive-1250000000)' })
      .check(z.regex(/^[a-z0-9-]+-\d+$/, 'must look like name-appid, e.g. mps-archive-1250000000')),
  ),
  COS_REGION: optional(
    'its region',
    code('TENCENTCLOUD_REGION'),
    z.string().check(z.regex(/^[a-z0-9-]+$/, 'must be a COS region such as ap-guangzhou')),
  ),
  COS_PREFIX: withDefault(
    'first segment(s) of every key',
    'mps-events',
    z.string().check(
      z.refine((p) => p.split('/').every((s) => PREFIX_SEGMENT.test(s)) && !p.includes('..'), {
        message: 'must be one or more "/"-separated segments of letters, digits, ".", "_", "=", "-", without ".."',
      }),
      z.refine((p) => Buffer.byteLength(p) <= MAX_PREFIX_BYTES, { message: `must be at most ${MAX_PREFIX_BYTES} bytes` }),
    ),
    (v) => unset(typeof v === 'string' ? v.replace(/^\/+|\/+$/g, '') : v),
  ),
  COS_ENDPOINT: optional(
    "`http(s)://host:port` to connect to instead of COS, keeping its Host header and signature: the local emulator, proxies",
    'unset',
    endpoint('http://127.0.0.1:9000'),
  ),
  COS_STORAGE_CLASS: withDefault(`storage class of every object: ${STORAGE_CLASSES.filter((c) => !c.startsWith('MAZ_')).map(code).join(', ')}, ${code('MAZ_*')}`, 'STANDARD', z.enum(STORAGE_CLASSES)),
  COS_SSE: withDefault(
    'encryption asked for every object: `AES256`, `SM4`, `cos/kms[:<key id>]`, `none` (docs/deploy.md)',
    'AES256',
    z.string().check(z.regex(SSE, 'must be AES256 or SM4 (SSE-COS), cos/kms or cos/kms:<KMS key id> (SSE-KMS), or none')),
  ),
  COS_TIMEOUT_MS: withDefault(
    "longest time of one write attempt; always cut to the invocation's remaining time",
    5_000,
    z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .check(
        z.int('must be a whole number of milliseconds'),
        z.minimum(100, 'must be at least 100'),
        z.maximum(900_000, 'must be at most 900000 (the longest SCF timeout)'),
      ),
  ),
  PARTITION_TIMEZONE: withDefault(
    'IANA zone of the `dt`/`hour` partitions',
    'UTC',
    z.string().check(z.refine(isTimeZone, { message: 'must be an IANA time zone such as UTC or Asia/Shanghai' })),
  ),
  LOG_LEVEL: withDefault(`pino level, ${code(LOG_LEVELS[0])} to ${code(LOG_LEVELS.at(-1)!)}`, 'info', z.enum(LOG_LEVELS)),
  FORWARD_TO: optional('functions to hand each archived event on to, comma-separated, each `[namespace/]function[:qualifier]`', 'none', z.string()),
  SCF_API_ENDPOINT: optional(
    '`http(s)://host:port` in place of `scf.tencentcloudapi.com`: tests, `npm run invoke`',
    'unset',
    endpoint('http://127.0.0.1:9001'),
  ),
  TENCENTCLOUD_REGION: optional("set by SCF: the function's region, where the `FORWARD_TO` targets are invoked", code('COS_REGION'), z.string()),
  SCF_FUNCTIONNAME: optional("set by SCF: the function's name, which `FORWARD_TO` may not name", 'unset', z.string()),
  NODE_DEBUG: optional(
    "Node's debug output; naming `http`, `https` or `net`, which print credentials, fails the cold start (docs/logs.md)",
    'unset',
    z.string().check(
      z.refine((value) => !NODE_MODULES_PRINTING_REQUESTS.some((module) => nodeDebugNames(value, module)), {
        message: `must not name ${NODE_MODULES_PRINTING_REQUESTS.join(', ')}: Node then prints every request's headers, COS's signature and session token among them`,
      }),
    ),
  ),
} satisfies Record<string, Variable<z.ZodMiniType>>;

type Shape = { [Name in keyof typeof VARIABLES]: (typeof VARIABLES)[Name]['schema'] };

const envSchema = z.object(
  Object.fromEntries(Object.entries<Variable<z.ZodMiniType>>(VARIABLES).map(([name, v]) => [name, v.schema])) as Shape,
);

/** Every variable loadConfig reads. */
export const CONFIG_VARIABLES = Object.keys(VARIABLES);

/** The README's configuration table: one row per variable, with its meaning and what applies when unset. */
export function configurationTable(): string {
  const rows = Object.entries<Variable<z.ZodMiniType>>(VARIABLES).map(([name, v]) => `| ${code(name)} | ${v.meaning} | ${v.whenUnset} |`);
  return ['| variable | meaning | default |', '| --- | --- | --- |', ...rows].join('\n');
}

// SCF's naming rules: a name starts with a letter and ends with a letter or digit.
const NAME = '[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]';
const NAMESPACE = '[A-Za-z0-9][A-Za-z0-9_-]{0,28}[A-Za-z0-9]|[A-Za-z0-9]';
const QUALIFIER = '\\$LATEST|\\$DEFAULT|[A-Za-z0-9][A-Za-z0-9_-]{0,62}';
const TARGET = new RegExp(`^(?:(${NAMESPACE})/)?(${NAME})(?::(${QUALIFIER}))?$`);

export const targetName = (t: ForwardTarget) => `${t.namespace}/${t.functionName}:${t.qualifier}`;

/**
 * Parses FORWARD_TO. Returns the targets, or the reasons it cannot: a malformed entry, a
 * duplicate, or this function itself, which would invoke itself for ever. The function cannot
 * tell its own namespace at cold start, so its name is refused in every namespace.
 */
export function parseTargets(value: string, selfName: string | undefined): { targets: ForwardTarget[]; problems: string[] } {
  const targets: ForwardTarget[] = [];
  const problems: string[] = [];
  const entries = value.split(',').map((e) => e.trim());
  if (entries.every((e) => e === '')) return { targets, problems };
  for (const entry of entries) {
    const match = TARGET.exec(entry);
    if (!match) {
      problems.push(`"${entry}" is not [namespace/]function[:qualifier]`);
      continue;
    }
    const target = { namespace: match[1] ?? 'default', functionName: match[2]!, qualifier: match[3] ?? '$LATEST' };
    if (target.functionName === selfName) {
      problems.push(`"${entry}" is this function (SCF_FUNCTIONNAME): it would invoke itself for ever`);
    } else if (targets.some((t) => targetName(t) === targetName(target))) {
      problems.push(`"${entry}" is listed twice (as ${targetName(target)})`);
    } else {
      targets.push(target);
    }
  }
  return { targets, problems };
}

/** Values are quoted back masked: a variable can hold a password, as in http://user:password@host. */
function fail(error: z.core.$ZodError, env: Env): never {
  const lines = error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const got = env[name] === undefined ? '' : ` (got ${JSON.stringify(maskText(env[name]))})`;
    return `${name} ${issue.message}${got}`;
  });
  throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
}

/** The variables, each read by its schema, as the function runs with them. */
function toConfig(e: z.output<typeof envSchema>) {
  const region = e.COS_REGION ?? e.TENCENTCLOUD_REGION;
  if (!region) {
    throw new ConfigError('Invalid configuration: COS_REGION is required when TENCENTCLOUD_REGION is not set');
  }
  const { targets, problems } = parseTargets(e.FORWARD_TO ?? '', e.SCF_FUNCTIONNAME);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: FORWARD_TO: ${maskText(problems.join('; '))}`);
  return {
    bucket: e.COS_BUCKET,
    region,
    prefix: e.COS_PREFIX,
    /** Where to open connections instead of COS itself; the Host header and signature stay COS's. */
    endpoint: e.COS_ENDPOINT && { protocol: e.COS_ENDPOINT.protocol as 'http:' | 'https:', host: e.COS_ENDPOINT.host },
    storageClass: e.COS_STORAGE_CLASS,
    /** What COS is asked to encrypt every object with; undefined: nothing asked (the bucket's default applies). */
    encryption: encryption(e.COS_SSE),
    timeoutMs: e.COS_TIMEOUT_MS,
    timeZone: e.PARTITION_TIMEZONE,
    logLevel: e.LOG_LEVEL,
    functionName: e.SCF_FUNCTIONNAME,
    /** Where to hand each archived event on; empty: nowhere, and the SCF SDK is never loaded. */
    forwardTo: targets,
    /** The function's own region, where the targets are invoked. */
    functionRegion: e.TENCENTCLOUD_REGION ?? region,
    /** Where to send SCF API calls instead of scf.tencentcloudapi.com. */
    scfEndpoint: e.SCF_API_ENDPOINT && { protocol: `${e.SCF_API_ENDPOINT.protocol}//` as 'http://' | 'https://', host: e.SCF_API_ENDPOINT.host },
  };
}

/** What the environment says, checked once at cold start. */
export type Config = ReturnType<typeof toConfig>;

export function loadConfig(env: Env): Config {
  // Parsed once per instance: compiling a parser for it (see zod.ts) would cost more than it saves.
  const parsed = envSchema.safeParse(env, { jitless: true });
  if (!parsed.success) fail(parsed.error, env);
  return toConfig(parsed.data);
}

/** The execution role's temporary keys rotate, so they are read for every invocation, never cached. */
export function readCredentials(env: Env): Credentials {
  const secretId = env.TENCENTCLOUD_SECRETID;
  const secretKey = env.TENCENTCLOUD_SECRETKEY;
  if (!secretId || !secretKey) {
    throw new ConfigError(
      'No credentials: TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY are not set (give the function an execution role)',
    );
  }
  return { secretId, secretKey, sessionToken: env.TENCENTCLOUD_SESSIONTOKEN || undefined };
}
