import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployEnv, functionConfig, readSpec, resolveYml } from '../../../scripts/deploy/spec';
import { functionSpec } from '../../support/function-spec';

const YML = `component: scf
name: app
inputs:
  name: archive
  region: \${env:REGION}
  src:
    src: ./dist/function
  handler: index.main_handler
  runtime: Nodejs18.15
  memorySize: 128
  timeout: 30
  role: \${env:ROLE}
  environment:
    variables:
      COS_BUCKET: \${env:BUCKET}
      COS_PREFIX: events-\${env:STAGE}
  events:
    - mps:
        parameters:
          type: WorkflowTask
          enable: true
`;

describe('resolveYml', () => {
  it('replaces each ${env:NAME} that has a value, inside strings too, and lists the others where they are', () => {
    const { yml, unresolved } = resolveYml(YML, { REGION: 'ap-guangzhou', STAGE: 'prod', ROLE: '' });
    expect(yml).toMatchObject({ inputs: { region: 'ap-guangzhou', role: '', environment: { variables: { COS_BUCKET: '${env:BUCKET}', COS_PREFIX: 'events-prod' } } } });
    expect(unresolved).toEqual([{ reference: '${env:BUCKET}', at: 'inputs.environment.variables.COS_BUCKET' }]);
  });

  it('lists every other ${...}, which no environment resolves, and leaves a value that holds one as it is', () => {
    const text = YML.replace('COS_PREFIX: events-${env:STAGE}', "COS_PREFIX: events-${stage}\n      TOPIC: ${env:TOPIC, 'none'}");
    expect(resolveYml(text, { REGION: '${self:region}' }).unresolved).toEqual([
      { reference: '${env:ROLE}', at: 'inputs.role' },
      { reference: '${env:BUCKET}', at: 'inputs.environment.variables.COS_BUCKET' },
      { reference: '${stage}', at: 'inputs.environment.variables.COS_PREFIX' },
      { reference: "${env:TOPIC, 'none'}", at: 'inputs.environment.variables.TOPIC' },
    ]);
  });
});

describe('readSpec', () => {
  let dir: string;
  let yml: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spec-'));
    yml = join(dir, 'serverless.yml');
    await writeFile(yml, YML);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const env = { REGION: 'ap-guangzhou', ROLE: 'archive-role', BUCKET: 'a-1250000000', STAGE: 'prod' };

  it('gives the function the yml describes, with the defaults of what it leaves out', () => {
    // The test's yml names what functionSpec() holds, but for these.
    expect(readSpec(yml, env)).toEqual(
      functionSpec({
        environment: { COS_BUCKET: 'a-1250000000', COS_PREFIX: 'events-prod' },
        srcDir: join(dir, 'dist', 'function'),
        mpsTriggers: [{ eventType: 'WorkflowTask', qualifier: '$DEFAULT' }],
      }),
    );
  });

  it('names every ${env:...} without a value, once with each place, unless the caller does not need it', async () => {
    expect(() => readSpec(yml, { REGION: 'ap-guangzhou', BUCKET: 'a-1250000000' })).toThrow(
      'serverless.yml: ${env:ROLE} (inputs.role), ${env:STAGE} (inputs.environment.variables.COS_PREFIX) have no values: set them in the environment or in .env beside serverless.yml',
    );
    await writeFile(yml, YML.replace('COS_BUCKET: ${env:BUCKET}', 'COS_BUCKET: ${env:BUCKET}\n      COS_REGION: ${env:REGION}'));
    expect(() => readSpec(yml, { ...env, REGION: undefined })).toThrow(
      'serverless.yml: ${env:REGION} (inputs.region, inputs.environment.variables.COS_REGION) has no value: set it in the environment or in .env beside serverless.yml',
    );
    expect(readSpec(yml, { REGION: 'ap-guangzhou', BUCKET: 'a-1250000000', STAGE: 'x' }, (at) => at !== 'inputs.role').role).toBe('${env:ROLE}');
  });

  it('reads the async retries and the dead-letter queue under their scf component names', async () => {
    await writeFile(yml, YML.replace('  timeout: 30\n', '  timeout: 30\n  retryNum: 0\n  msgTTL: 600\n  deadLetter:\n    type: queue\n    name: mps-dlq\n'));
    expect(readSpec(yml, env)).toMatchObject({ retryNum: 0, msgTTL: 600, deadLetter: { Type: 'queue', Name: 'mps-dlq' } });
  });

  it.each([
    ['a key deploy would not apply', YML.replace('  timeout: 30\n', '  timeout: 30\n  layers: []\n'), 'serverless.yml: inputs has layers, which npm run deploy does not apply'],
    ['a disabled trigger', YML.replace('enable: true', 'enable: false'), 'serverless.yml: inputs.events.0.mps.parameters.enable must be true: deploy binds triggers, and unbinds none'],
    ['another trigger type', YML.replace('type: WorkflowTask', 'type: LiveTask'), 'serverless.yml: inputs.events.0.mps.parameters.type'],
    ['a variable other than ${env:NAME}', YML.replace('events-${env:STAGE}', 'events-${stage}'), 'serverless.yml: ${stage} (inputs.environment.variables.COS_PREFIX): npm run deploy resolves only ${env:NAME}'],
    ['a memory size SCF does not offer', YML.replace('memorySize: 128', 'memorySize: 200'), 'serverless.yml: inputs.memorySize is not 64 or a multiple of 128 from 128 to 3072'],
    ['a timeout over the 900 s SCF allows', YML.replace('timeout: 30', 'timeout: 901'), 'serverless.yml: inputs.timeout'],
    ['a memory size that is not a number', YML.replace('memorySize: 128', 'memorySize: lots'), 'serverless.yml: inputs.memorySize'],
  ])('refuses %s, by name', async (_name, text, message) => {
    await writeFile(yml, text);
    expect(() => readSpec(yml, env)).toThrow(message);
  });

  const TIMER = `    - timer:
        parameters:
          name: compact-daily
          cronExpression: '0 30 9 * * * *'
`;

  it('reads timer triggers beside the MPS triggers, enabled and on $DEFAULT unless the yml says otherwise', async () => {
    await writeFile(yml, `${YML}${TIMER}    - timer:\n        parameters:\n          name: paused\n          cronExpression: '0 0 * * * * *'\n          enable: false\n          qualifier: $LATEST\n`);
    expect(readSpec(yml, env)).toMatchObject({
      mpsTriggers: [{ eventType: 'WorkflowTask', qualifier: '$DEFAULT' }],
      timers: [
        { name: 'compact-daily', cron: '0 30 9 * * * *', enable: true, qualifier: '$DEFAULT' },
        { name: 'paused', cron: '0 0 * * * * *', enable: false, qualifier: '$LATEST' },
      ],
    });
  });

  it.each([
    ['a cron SCF would refuse', TIMER.replace('0 30 9 * * * *', '0 30 25 * * * *'), 'serverless.compact.yml: inputs.events.1.timer.parameters.cronExpression "0 30 25 * * * *" is not an SCF cron (SCF docs 583/9708): the hour 25 is not 0 to 23'],
    ['a cron of five fields', TIMER.replace('0 30 9 * * * *', '30 9 * * *'), "serverless.compact.yml: inputs.events.1.timer.parameters.cronExpression \"30 9 * * *\" is not an SCF cron (SCF docs 583/9708): it has 5 fields, not the seven of SCF's recommended syntax"],
    ['a timer name SCF would refuse', TIMER.replace('compact-daily', '1-daily'), 'serverless.compact.yml: inputs.events.1.timer.parameters.name is not up to 60 letters'],
    ['the timer argument, which deploy does not apply', `${TIMER}          argument: hello\n`, 'serverless.compact.yml: inputs.events.1.timer.parameters has argument, which npm run deploy does not apply'],
    ['two timers of one name', `${TIMER}${TIMER}`, 'serverless.compact.yml: inputs.events has two timers named compact-daily'],
    ['an event of two triggers', TIMER.replace('    - timer:', '    - mps:\n        parameters:\n          type: EditMediaTask\n          enable: true\n      timer:'), 'serverless.compact.yml: inputs.events.1 must hold one trigger: mps or timer'],
  ])('refuses %s, naming the yml and the place', async (_name, timer, message) => {
    const compact = join(dir, 'serverless.compact.yml');
    await writeFile(compact, `${YML}${timer}`);
    expect(() => readSpec(compact, env)).toThrow(message);
  });

  it('takes from .env beside the yml what the environment lacks, the environment first', async () => {
    await writeFile(join(dir, '.env'), '# deploy\nREGION=ap-shanghai\nROLE="from file"\n');
    const merged = deployEnv(yml, { REGION: 'ap-guangzhou', BUCKET: 'a-1250000000', STAGE: 'prod', UNSET: undefined });
    expect(merged).toEqual({ REGION: 'ap-guangzhou', ROLE: 'from file', BUCKET: 'a-1250000000', STAGE: 'prod' });
  });

  it('reads a .env saved on Windows, and refuses a line of it that is not NAME=value instead of losing the next', async () => {
    await writeFile(join(dir, '.env'), '\uFEFFREGION=ap-shanghai\r\nexport ROLE=role\r\n');
    expect(deployEnv(yml, {})).toEqual({ REGION: 'ap-shanghai', ROLE: 'role' });
    await writeFile(join(dir, '.env'), 'REGION=ap-shanghai\nTENCENTCLOUD_SECRETID\nROLE=role\n');
    expect(() => deployEnv(yml, {})).toThrow(`${join(dir, '.env')}, line 2: not NAME=value`);
  });

  it('refuses an environment the function itself would refuse at cold start', () => {
    expect(() => functionConfig(readSpec(yml, { ...env, BUCKET: 'no-appid' }), {})).toThrow(/^serverless\.yml: the function would refuse its environment: Invalid configuration: COS_BUCKET must look like name-appid/);
  });
});
