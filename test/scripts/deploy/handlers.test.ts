import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../scripts/deploy/check';
import { runCompactorCheck } from '../../../scripts/deploy/compactor-check';
import { handlerOfSpec } from '../../../scripts/deploy/handlers';
import { compactRolePolicy, executionRolePolicy } from '../../../scripts/deploy/policy';
import { functionSpec } from '../../support/function-spec';

describe('handlerOfSpec', () => {
  it("gives each handler of the zip its role's policy and its check", () => {
    expect(handlerOfSpec(functionSpec())).toMatchObject({ what: 'the archiving function', policy: executionRolePolicy, check: runCheck });
    expect(handlerOfSpec(functionSpec({ handler: 'index.compact_handler' }))).toMatchObject({ what: 'the compactor', policy: compactRolePolicy, check: runCompactorCheck });
  });

  it('refuses a handler the zip does not export, naming the yml', () => {
    expect(() => handlerOfSpec(functionSpec({ file: 'serverless.compact.yml', handler: 'index.compactor' }))).toThrow(
      'serverless.compact.yml: inputs.handler index.compactor is none of the zip\'s: index.main_handler, index.compact_handler',
    );
  });
});
