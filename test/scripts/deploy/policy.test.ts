import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT } from '../../../scripts/build/bundle';
import { compactRolePolicy, executionRolePolicy } from '../../../scripts/deploy/policy';
import { functionConfig, readSpec } from '../../../scripts/deploy/spec';

/** The configuration serverless.yml gives the function, with these values for its ${env:...}. */
const configOf = (env: Record<string, string>) => functionConfig(readSpec(join(PROJECT, 'serverless.yml'), { EXECUTION_ROLE: 'r', ...env }), {});

describe('executionRolePolicy', () => {
  it('allows PutObject on the archive prefix only, in the bucket of the APPID its name ends with, and nothing else without FORWARD_TO', () => {
    expect(executionRolePolicy(configOf({ REGION: 'ap-guangzhou', COS_BUCKET: 'mps-archive-1250000000', FORWARD_TO: '' }))).toEqual({
      version: '2.0',
      statement: [{ effect: 'allow', action: ['name/cos:PutObject'], resource: ['qcs::cos:ap-guangzhou:uid/1250000000:mps-archive-1250000000/mps-events/*'] }],
    });
  });

  it('allows InvokeFunction on each FORWARD_TO function once, whatever the qualifier, in the function region of the account', () => {
    const policy = executionRolePolicy(configOf({ REGION: 'ap-beijing', COS_BUCKET: 'my-bucket-name-1300000001', FORWARD_TO: 'notify,notify:live,prod/index' }));
    expect(policy.statement[1]).toEqual({
      effect: 'allow',
      action: ['name/scf:InvokeFunction'],
      resource: ['qcs::scf:ap-beijing::namespace/default/function/notify', 'qcs::scf:ap-beijing::namespace/prod/function/index'],
    });
    expect(policy.statement[0]!.resource).toEqual(['qcs::cos:ap-beijing:uid/1300000001:my-bucket-name-1300000001/mps-events/*']);
    for (const resource of policy.statement[1]!.resource) expect(resource).toMatch(/^qcs::scf:[a-z0-9-]+::namespace\/[A-Za-z0-9_-]+\/function\/[A-Za-z][A-Za-z0-9_-]+$/);
  });
});

describe('compactRolePolicy', () => {
  it('allows reading and writing objects on the archive prefix and listing the bucket, and no delete', () => {
    expect(compactRolePolicy(configOf({ REGION: 'ap-guangzhou', COS_BUCKET: 'mps-archive-1250000000', FORWARD_TO: '' }))).toEqual({
      version: '2.0',
      statement: [
        { effect: 'allow', action: ['name/cos:GetObject', 'name/cos:PutObject'], resource: ['qcs::cos:ap-guangzhou:uid/1250000000:mps-archive-1250000000/mps-events/*'] },
        { effect: 'allow', action: ['name/cos:GetBucket'], resource: ['qcs::cos:ap-guangzhou:uid/1250000000:mps-archive-1250000000/*'] },
      ],
    });
  });
});
