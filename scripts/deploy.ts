import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { relative, resolve } from 'node:path';
import { PROJECT } from './build/bundle';
import { cosArchive } from '../src/store/archive';
import { commandLine, run, UsageError } from './cli';
import { createApis } from './deploy/api';
import { applyPlan } from './deploy/apply';
import { packagedCode } from './deploy/code';
import { readDeployCredentials, type DeployCredentials } from './deploy/credentials';
import { handlerOfSpec } from './deploy/handlers';
import { LOCAL_VALUES, startLocalCloud } from './deploy/local';
import { describePlan, planDeploy, readAccount } from './deploy/plan';
import { redactor } from './deploy/redact';
import { deployEnv, functionConfig, readSpec, type Env, type FunctionSpec } from './deploy/spec';

const USAGE = `npm run deploy -- [--dry-run | --check | --policy] [--local] [yml]

Deploys the function a yml beside the project describes (serverless.yml, the archiving function,
when none is named; serverless.compact.yml, the compactor) through the Tencent Cloud API: creates
it, or updates its code and configuration, waits until SCF says Active, sets its async retries
when the yml names them, binds its MPS triggers unless bound already, and creates or updates its
timer triggers. Packages first when dist/function is missing or older than the sources. One line
per change.
  --dry-run  read the account and print what a deploy would change; change nothing
  --check    invoke the deployed function with a marked test event (the archiving function) or a
             timer event (the compactor), read back what it wrote, say pass or fail
  --policy   print the policy its role needs, as JSON (needs no credentials)
  --local    against a local SCF, MPS and COS on this machine (.local-scf/, .local-cos/), no account
  -h, --help this text
From the environment, or a .env file beside the yml:
  REGION, COS_BUCKET, EXECUTION_ROLE, FORWARD_TO   serverless.yml's \${env:...} (FORWARD_TO may be empty)
  COMPACT_ROLE       serverless.compact.yml's role, with REGION and COS_BUCKET
  TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY, TENCENTCLOUD_SESSIONTOKEN   the deployer's keys;
                     without them, tccli's ~/.tccli/<TCCLI_PROFILE or default>.credential
  SCF_API_ENDPOINT, MPS_API_ENDPOINT, COS_ENDPOINT   http(s)://host:port to use instead of Tencent Cloud's`;

const DEFAULT_YML = 'serverless.yml';
/** The yml's places --policy reads: the region and the function's environment. */
const POLICY_NEEDS = (at: string) => at === 'inputs.region' || at.startsWith('inputs.environment');

async function deploy(spec: FunctionSpec, env: Env, credentials: DeployCredentials, mode: { dryRun: boolean; check: boolean }, say: (line: string) => void): Promise<number> {
  const config = functionConfig(spec, env);
  const handler = handlerOfSpec(spec);
  const apis = createApis(credentials, spec.region, env);

  if (mode.check) {
    const archive = cosArchive(config, { secretId: credentials.secretId, secretKey: credentials.secretKey, sessionToken: credentials.token });
    const { passed, lines } = await handler.check(apis.scf, archive, spec, config);
    for (const line of lines) say(line);
    return passed ? 0 : 1;
  }

  const code = await packagedCode(spec.srcDir, spec.handler, say);
  const account = await readAccount(apis.scf, spec);
  const plan = planDeploy(spec, account, code);
  if (mode.dryRun) {
    for (const line of describePlan(spec, account, plan, code)) say(line);
    say('Dry run: nothing was changed.');
    return 0;
  }
  await applyPlan(apis, spec, account, plan, code, { say });
  const named = spec.file === DEFAULT_YML ? '' : ` ${spec.file}`;
  say(`Deployed ${spec.namespace}/${spec.name} in ${spec.region}. npm run deploy -- --check${named} proves ${handler.proves}.`);
  return 0;
}

/** The yml named on the command line, beside the project (serverless.yml when none is). */
function ymlPath(positionals: string[]): string {
  if (positionals.length > 1) throw new UsageError(`Unexpected argument '${positionals[1]}': deploy takes one yml at a time`);
  const path = resolve(PROJECT, positionals[0] ?? DEFAULT_YML);
  if (!existsSync(path)) throw new UsageError(`No yml at ${relative(PROJECT, path)}: name serverless.yml or serverless.compact.yml`);
  return path;
}

async function main(argv: string[]): Promise<number> {
  const args = commandLine(argv, USAGE, {
    'dry-run': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    policy: { type: 'boolean', default: false },
    local: { type: 'boolean', default: false },
  });
  if (!args) return 0;
  const { 'dry-run': dryRun, check, policy, local } = args.values;
  if ([dryRun, check, policy].filter(Boolean).length > 1) throw new UsageError('--dry-run, --check and --policy go one at a time');
  const yml = ymlPath(args.positionals);

  let env = deployEnv(yml, process.env);
  if (local) env = { ...env, ...LOCAL_VALUES };
  if (policy) {
    const spec = readSpec(yml, env, POLICY_NEEDS);
    const handler = handlerOfSpec(spec);
    // The label apart, on stderr: stdout is the policy alone, to save or paste into CAM.
    process.stderr.write(`The policy of the role of ${handler.what}, ${spec.name} (${spec.file}, role ${spec.role}):\n`);
    process.stdout.write(`${JSON.stringify(handler.policy(functionConfig(spec, env)), null, 2)}\n`);
    return 0;
  }
  const cloud = local ? await startLocalCloud(env) : undefined;
  if (cloud) env = { ...env, ...cloud.env };
  try {
    // The yml first: a value it lacks is the first thing to mend, and names no key.
    const spec = readSpec(yml, env);
    const credentials = readDeployCredentials(env, homedir());
    // Every line out, and the message of any failure, with the deployer's keys taken out.
    const redact = redactor([credentials.secretId, credentials.secretKey, credentials.token, env.TENCENTCLOUD_SECRETID, env.TENCENTCLOUD_SECRETKEY, env.TENCENTCLOUD_SESSIONTOKEN]);
    try {
      return await deploy(spec, env, credentials, { dryRun, check }, (line) => process.stdout.write(`${redact(line)}\n`));
    } catch (error) {
      throw error instanceof Error ? Object.assign(error, { message: redact(error.message) }) : new Error(redact(String(error)));
    }
  } finally {
    await cloud?.close();
  }
}

run(main);
