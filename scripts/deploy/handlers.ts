import type { Config } from '../../src/config';
import type { Archive } from '../../src/store/archive';
import type { ScfCall } from '../tencent-api';
import { runCheck, type CheckResult } from './check';
import { runCompactorCheck } from './compactor-check';
import { compactRolePolicy, executionRolePolicy, type Policy } from './policy';
import type { FunctionSpec } from './spec';

/*
 * The handlers of the zip `npm run package` writes, one per yml beside it, and what deploy does
 * for each besides deploying it: the policy its role needs (--policy) and how --check proves that
 * it works. A yml naming another handler is refused: SCF would find nothing to call.
 */

export interface Handler {
  /** What the function is, as deploy's lines name it. */
  what: string;
  /** What --check proves of it. */
  proves: string;
  policy: (config: Config) => Policy;
  check: (scf: ScfCall, archive: Archive, spec: FunctionSpec, config: Config) => Promise<CheckResult>;
}

const HANDLERS: Record<string, Handler> = {
  'index.main_handler': { what: 'the archiving function', proves: 'that it archives', policy: executionRolePolicy, check: runCheck },
  'index.compact_handler': { what: 'the compactor', proves: 'that it compacts', policy: compactRolePolicy, check: runCompactorCheck },
};

export function handlerOfSpec(spec: FunctionSpec): Handler {
  const handler = HANDLERS[spec.handler];
  if (!handler) throw new Error(`${spec.file}: inputs.handler ${spec.handler} is none of the zip's: ${Object.keys(HANDLERS).join(', ')}`);
  return handler;
}
