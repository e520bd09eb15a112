import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FUNCTION_DIR, PROJECT } from '../scripts/build/bundle';
import { fetchScfNode } from '../scripts/scf-node';
import { functionConfig, readSpec } from '../scripts/deploy/spec';
import { cronProblem } from '../scripts/scf-cron';
import { NODE_RUNTIMES } from '../scripts/tencent-api';
import { CONFIG_VARIABLES } from '../src/config';
import { DEFAULT_RETRY_POLICY } from '../src/retry';

/*
 * serverless.yml, the one description of the function: what `npm run deploy` applies, and still a
 * valid input of the Serverless Cloud Framework's scf component (`scf deploy`, its documented
 * inputs); checked against this project: the build's output folder, the configuration the
 * function reads, the time its retries can take.
 */

const YML = join(PROJECT, 'serverless.yml');
const yml = parse(readFileSync(YML, 'utf8'));
const inputs = yml.inputs;
const variables: Record<string, unknown> = inputs.environment.variables;
const values = { REGION: 'ap-guangzhou', COS_BUCKET: 'mps-archive-1250000000', EXECUTION_ROLE: 'mps-cos-backup', FORWARD_TO: 'notify' };

describe('serverless.yml', () => {
  it('is an input of the scf component that npm run deploy reads whole', () => {
    expect(yml.component).toBe('scf');
    expect(readSpec(YML, values)).toMatchObject({ name: inputs.name, region: 'ap-guangzhou', role: 'mps-cos-backup', srcDir: FUNCTION_DIR });
  });

  it('runs the bundle on Node 18, the target the build compiles for', () => {
    expect(NODE_RUNTIMES).toContain(inputs.runtime);
    expect(inputs.runtime).toBe('Nodejs18.15');
    expect(readFileSync(join(PROJECT, 'scripts', 'build', 'bundle.ts'), 'utf8')).toContain("target: 'node18'");
  });

  it('points at index.main_handler in the folder the build writes', () => {
    expect(inputs.handler).toBe('index.main_handler');
    expect(resolve(PROJECT, inputs.src.src)).toBe(FUNCTION_DIR);
  });

  it('binds both MPS event types, enabled', () => {
    expect(inputs.events).toEqual([
      { mps: { parameters: { qualifier: '$DEFAULT', type: 'WorkflowTask', enable: true } } },
      { mps: { parameters: { qualifier: '$DEFAULT', type: 'EditMediaTask', enable: true } } },
    ]);
  });

  it('sets only variables the function (or Node) reads, as strings, and a configuration it accepts', () => {
    for (const [name, value] of Object.entries(variables)) {
      expect([...CONFIG_VARIABLES, 'NODE_OPTIONS']).toContain(name);
      expect(typeof value).toBe('string');
    }
    expect(functionConfig(readSpec(YML, values), {})).toMatchObject({ bucket: 'mps-archive-1250000000', region: 'ap-guangzhou', prefix: 'mps-events', forwardTo: [{ functionName: 'notify' }] });
  });

  it('has memory and a timeout SCF allows, the timeout longer than the slowest retried write', () => {
    expect(inputs.memorySize === 64 || (inputs.memorySize % 128 === 0 && inputs.memorySize <= 3072)).toBe(true);
    expect(inputs.timeout).toBeGreaterThanOrEqual(1);
    expect(inputs.timeout).toBeLessThanOrEqual(900);
    const { maxAttempts, baseDelayMs, maxDelayMs } = DEFAULT_RETRY_POLICY;
    const backoffMs = Array.from({ length: maxAttempts - 1 }, (_, n) => Math.min(maxDelayMs, baseDelayMs * 2 ** n)).reduce((a, b) => a + b, 0);
    const worstMs = maxAttempts * Number(variables.COS_TIMEOUT_MS) + backoffMs;
    expect(worstMs).toBeLessThan(inputs.timeout * 1000);
  });

  it("bounds the heap through NODE_OPTIONS, which SCF's Node accepts, well inside memorySize", () => {
    const limit = execFileSync(fetchScfNode(), ['-p', "require('v8').getHeapStatistics().heap_size_limit"], {
      env: { PATH: process.env.PATH, NODE_OPTIONS: String(variables.NODE_OPTIONS) },
      encoding: 'utf8',
    });
    const limitMb = Number(limit) / 2 ** 20;
    // Node, the loaded bundle and buffers outside the heap take about 50 MB more (BENCHMARKS.md).
    expect(limitMb).toBeGreaterThan(32);
    expect(limitMb).toBeLessThan(inputs.memorySize - 48);
  });
});

describe('serverless.compact.yml', () => {
  const compact = parse(readFileSync(join(PROJECT, 'serverless.compact.yml'), 'utf8'));
  const { inputs: c } = compact;
  const env: Record<string, string> = c.environment.variables;

  it('deploys index.compact_handler from the same folder and runtime as the function, as a function of its own', () => {
    expect(compact.component).toBe('scf');
    expect(c.name).toMatch(/^[A-Za-z][A-Za-z0-9_-]{1,58}[A-Za-z0-9]$/);
    expect(c.name).not.toBe(inputs.name);
    expect(c.handler).toBe('index.compact_handler');
    expect(resolve(PROJECT, c.src.src)).toBe(FUNCTION_DIR);
    expect(c.runtime).toBe(inputs.runtime);
    expect(c.role).toBe('${env:COMPACT_ROLE}');
  });

  it("runs once a day on a timer, with a cron of SCF's seven fields", () => {
    expect(c.events).toHaveLength(1);
    const { cronExpression, enable } = c.events[0].timer.parameters;
    expect(enable).toBe(true);
    expect(cronProblem(cronExpression)).toBeUndefined();
    const [second, minute, hour, ...rest] = String(cronExpression).split(' ');
    expect(rest).toEqual(['*', '*', '*', '*']);
    expect([second, minute, hour].every((f) => /^\d+$/.test(f!))).toBe(true);
  });

  it('runs in the morning after a day closes in PARTITION_TIMEZONE, whether SCF reads the cron in UTC or in UTC+8', () => {
    expect(env.PARTITION_TIMEZONE).toBe('UTC');
    const hour = Number(String(c.events[0].timer.parameters.cronExpression).split(' ')[2]);
    for (const offset of [0, 8]) expect((hour - offset + 24) % 24).toBeLessThan(12);
  });

  it('reads and writes the archive where and as the function does, in the zone its days close in, with variables the function knows', () => {
    for (const name of ['COS_BUCKET', 'COS_REGION', 'COS_PREFIX', 'PARTITION_TIMEZONE', 'COS_SSE']) expect([name, env[name]]).toEqual([name, variables[name]]);
    for (const name of Object.keys(env)) expect([...CONFIG_VARIABLES, 'NODE_OPTIONS']).toContain(name);
  });

  it('has the longest timeout SCF allows and a heap well inside its memory', () => {
    expect(c.timeout).toBe(900);
    expect(c.memorySize % 128).toBe(0);
    const limit = execFileSync(fetchScfNode(), ['-p', "require('v8').getHeapStatistics().heap_size_limit"], {
      env: { PATH: process.env.PATH, NODE_OPTIONS: env.NODE_OPTIONS },
      encoding: 'utf8',
    });
    // The parts being written are buffers outside the heap (BENCHMARKS.md measures the whole).
    expect(Number(limit) / 2 ** 20).toBeLessThan(c.memorySize * 0.75);
  });
});
