import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import * as z from 'zod';
import { loadConfig, type Config } from '../../src/config';
import { cronProblem } from '../scf-cron';
import { FUNCTION_NAME, isMemorySize, MEMORY_SIZE_RULE, MPS_EVENT_TYPES, type DeadLetterConfig, type MpsEventType } from '../tencent-api';
import { parseDotEnv } from './dotenv';

/*
 * A yml beside the project, serverless.yml (the archiving function) or serverless.compact.yml (the
 * compactor): the one description of a function, read for `npm run deploy`. It stays a valid
 * input of the Serverless Cloud Framework's `scf` component, whose key names it uses; keys that
 * deploy would not apply are refused by name rather than ignored. `${env:NAME}` takes its value
 * from the environment or, failing that, from a .env file beside the yml.
 */

export type Env = Record<string, string | undefined>;

export interface FunctionSpec {
  /** The yml it was read from, by name, as messages name it. */
  file: string;
  name: string;
  namespace: string;
  region: string;
  runtime: string;
  handler: string;
  description: string;
  memorySize: number;
  timeout: number;
  role: string;
  environment: Record<string, string>;
  /** The folder whose zip is the function's code. */
  srcDir: string;
  /** Async retries, applied with UpdateFunctionEventInvokeConfig when either is named. */
  retryNum: number | undefined;
  msgTTL: number | undefined;
  deadLetter: DeadLetterConfig | undefined;
  mpsTriggers: { eventType: MpsEventType; qualifier: string }[];
  timers: Timer[];
}

/** A timer trigger: SCF invokes the function when the cron says. */
export interface Timer {
  name: string;
  cron: string;
  enable: boolean;
  qualifier: string;
}

/** The environment deploy reads: the process's, then the .env beside the yml for what it lacks. */
export function deployEnv(ymlPath: string, env: Env): Env {
  const file = join(dirname(ymlPath), '.env');
  const fromFile = existsSync(file) ? parseDotEnv(readFileSync(file, 'utf8'), file) : {};
  return { ...fromFile, ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) };
}

const VARIABLE = /\$\{([^}]*)\}/g;
const ENV_REFERENCE = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

/** A ${...} the yml still holds, as written, and where in the yml it is. */
export interface Unresolved {
  reference: string;
  at: string;
}

/**
 * The yml with every ${env:NAME} that has a value replaced by it. The others are listed, and so
 * is any other ${...} (the Serverless Framework's ${stage}, ${self:...}, a default after a
 * comma), which would otherwise reach the function as it is written.
 */
export function resolveYml(text: string, env: Env): { yml: unknown; unresolved: Unresolved[] } {
  const unresolved: Unresolved[] = [];
  const walk = (value: unknown, at: string): unknown => {
    if (typeof value === 'string') {
      return value.replace(VARIABLE, (reference, inside: string) => {
        const found = env[ENV_REFERENCE.exec(inside)?.[1] ?? ''];
        if (found === undefined) unresolved.push({ reference, at });
        return found ?? reference;
      });
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${at}[${i}]`));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, at ? `${at}.${k}` : k)]));
    return value;
  };
  return { yml: walk(parse(text), ''), unresolved };
}

/** "${env:REGION} (inputs.region, inputs.environment.variables.COS_REGION)": each reference once, with where it is. */
function listed(references: Unresolved[]): string {
  const places = new Map<string, string[]>();
  for (const { reference, at } of references) places.set(reference, [...(places.get(reference) ?? []), at]);
  return [...places].map(([reference, at]) => `${reference} (${at.join(', ')})`).join(', ');
}

const MpsEvent = z.strictObject({
  parameters: z.strictObject({
    qualifier: z.string().default('$DEFAULT'),
    type: z.enum(MPS_EVENT_TYPES),
    enable: z.literal(true, { error: 'must be true: deploy binds triggers, and unbinds none' }),
  }),
});

/** The scf component's timer event; `argument` (the event's Message) is not applied. */
const TimerEvent = z.strictObject({
  parameters: z.strictObject({
    // SCF docs 583/9708: up to 60 letters, digits, "-" and "_", from a letter, unique in the function.
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,59}$/, 'is not up to 60 letters, digits, "-" or "_", starting with a letter'),
    qualifier: z.string().default('$DEFAULT'),
    cronExpression: z.string().superRefine((cron, ctx) => {
      const problem = cronProblem(cron);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    enable: z.boolean().default(true),
  }),
});

const Event = z
  .strictObject({ mps: MpsEvent.optional(), timer: TimerEvent.optional() })
  .refine((e) => Object.keys(e).length === 1, 'must hold one trigger: mps or timer');

const Yml = z.object({
  component: z.literal('scf'),
  inputs: z.strictObject({
    name: z.string().regex(FUNCTION_NAME, 'is not 2 to 60 letters, digits, "-" or "_", starting with a letter'),
    namespace: z.string().default('default'),
    region: z.string().regex(/^[a-z]+(-[a-z0-9]+)+$/, 'is not a region such as ap-guangzhou'),
    src: z.strictObject({ src: z.string() }),
    handler: z.string(),
    runtime: z.string(),
    description: z.string().default(''),
    // SCF's own limits, so that a dry run does not plan what the API will refuse.
    memorySize: z.number().int().refine(isMemorySize, `is not ${MEMORY_SIZE_RULE}`),
    timeout: z.number().int().min(1).max(900),
    role: z.string().min(1),
    // The component's: it authorises SCF's service role. Deploy expects it authorised already.
    enableRoleAuth: z.boolean().optional(),
    environment: z.strictObject({ variables: z.record(z.string(), z.string()) }).optional(),
    retryNum: z.number().int().min(0).optional(),
    msgTTL: z.number().int().min(1).optional(),
    deadLetter: z.strictObject({ type: z.string(), name: z.string(), filterType: z.string().optional() }).optional(),
    events: z
      .array(Event)
      .default([])
      .superRefine((events, ctx) => {
        const names = events.flatMap((e) => (e.timer ? [e.timer.parameters.name] : []));
        const twice = names.find((name, i) => names.indexOf(name) !== i);
        if (twice) ctx.addIssue({ code: 'custom', message: `has two timers named ${twice}: a function's timers need names of their own` });
      }),
  }),
});

function describe(issue: z.core.$ZodIssue): string {
  const at = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') return `${at} has ${issue.keys.join(', ')}, which npm run deploy does not apply`;
  return `${at} ${issue.message}`;
}

/**
 * The function a yml describes. `needs` says which ${env:...} must have values (by their place in
 * the yml): a deploy needs them all, the policy only the region and the environment.
 */
export function readSpec(ymlPath: string, env: Env, needs: (at: string) => boolean = () => true): FunctionSpec {
  const file = basename(ymlPath);
  const { yml, unresolved } = resolveYml(readFileSync(ymlPath, 'utf8'), env);
  const needed = unresolved.filter((u) => needs(u.at));
  const foreign = needed.filter((u) => !ENV_REFERENCE.test(u.reference.slice(2, -1)));
  if (foreign.length > 0) throw new Error(`${file}: ${listed(foreign)}: npm run deploy resolves only \${env:NAME}`);
  if (needed.length > 0) {
    const many = new Set(needed.map((u) => u.reference)).size > 1;
    throw new Error(`${file}: ${listed(needed)} ${many ? 'have no values: set them' : 'has no value: set it'} in the environment or in .env beside ${file}`);
  }
  const parsed = Yml.safeParse(yml);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map(describe).join('; ')}`);
  const i = parsed.data.inputs;
  return {
    file,
    name: i.name,
    namespace: i.namespace,
    region: i.region,
    runtime: i.runtime,
    handler: i.handler,
    description: i.description,
    memorySize: i.memorySize,
    timeout: i.timeout,
    role: i.role,
    environment: i.environment?.variables ?? {},
    srcDir: resolve(dirname(ymlPath), i.src.src),
    retryNum: i.retryNum,
    msgTTL: i.msgTTL,
    deadLetter: i.deadLetter && { Type: i.deadLetter.type, Name: i.deadLetter.name, ...(i.deadLetter.filterType !== undefined && { FilterType: i.deadLetter.filterType }) },
    mpsTriggers: i.events.flatMap((e) => (e.mps ? [{ eventType: e.mps.parameters.type, qualifier: e.mps.parameters.qualifier }] : [])),
    timers: i.events.flatMap((e) => (e.timer ? [{ name: e.timer.parameters.name, cron: e.timer.parameters.cronExpression, enable: e.timer.parameters.enable, qualifier: e.timer.parameters.qualifier }] : [])),
  };
}

/**
 * The yml's environment as the deployed function will read it (src/config.ts), so that a
 * configuration it would refuse at cold start is refused before deploying. COS_ENDPOINT comes
 * from the deployer's environment: it points deploy's own reads of the bucket elsewhere.
 */
export function functionConfig(spec: FunctionSpec, env: Env): Config {
  try {
    return loadConfig({ ...spec.environment, TENCENTCLOUD_REGION: spec.region, SCF_FUNCTIONNAME: spec.name, COS_ENDPOINT: env.COS_ENDPOINT });
  } catch (error) {
    throw new Error(`${spec.file}: the function would refuse its environment: ${error instanceof Error ? error.message : String(error)}`);
  }
}
