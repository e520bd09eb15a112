import type { FunctionSpec } from '../../scripts/deploy/spec';

/** A function as serverless.yml may describe it, for the deploy modules' tests. */
export const functionSpec = (more: Partial<FunctionSpec> = {}): FunctionSpec => ({
  file: 'serverless.yml',
  name: 'archive',
  namespace: 'default',
  region: 'ap-guangzhou',
  runtime: 'Nodejs18.15',
  handler: 'index.main_handler',
  description: '',
  memorySize: 128,
  timeout: 30,
  role: 'archive-role',
  environment: { COS_BUCKET: 'a-1250000000' },
  srcDir: '/p/dist/function',
  retryNum: undefined,
  msgTTL: undefined,
  deadLetter: undefined,
  mpsTriggers: [],
  timers: [],
  ...more,
});
