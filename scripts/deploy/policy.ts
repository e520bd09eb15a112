import type { Config } from '../../src/config';

/*
 * The execution role's policy, from the function's configuration: PutObject on the archive
 * prefix, and InvokeFunction on each FORWARD_TO target, nothing else. CAM names a COS resource's
 * owner by APPID (uid/<APPID>, the bucket name's suffix) and an SCF resource's by account UIN; an
 * empty owner means the account that creates the policy (CAM, "Resource description",
 * https://cloud.tencent.com/document/product/215/8965), so no UIN is needed.
 */

export interface Policy {
  version: '2.0';
  statement: { effect: 'allow'; action: string[]; resource: string[] }[];
}

/** The bucket as CAM names it: its owner by APPID, the bucket name's suffix. */
const bucketResource = (config: Pick<Config, 'bucket' | 'region'>) => `qcs::cos:${config.region}:uid/${config.bucket.slice(config.bucket.lastIndexOf('-') + 1)}:${config.bucket}`;

export function executionRolePolicy(config: Pick<Config, 'bucket' | 'region' | 'prefix' | 'forwardTo' | 'functionRegion'>): Policy {
  const statement: Policy['statement'] = [{ effect: 'allow', action: ['name/cos:PutObject'], resource: [`${bucketResource(config)}/${config.prefix}/*`] }];
  if (config.forwardTo.length > 0) {
    const functions = new Set(config.forwardTo.map((t) => `qcs::scf:${config.functionRegion}::namespace/${t.namespace}/function/${t.functionName}`));
    statement.push({ effect: 'allow', action: ['name/scf:InvokeFunction'], resource: [...functions] });
  }
  return { version: '2.0', statement };
}

/**
 * The compactor's role (serverless.compact.yml, docs/compaction.md): it reads the archive and
 * writes {prefix}/compacted/ beside it, so GetObject and PutObject on the prefix; and it lists it,
 * with GetBucket, whose resource is the bucket. No delete: it empties a part it no longer needs.
 */
export function compactRolePolicy(config: Pick<Config, 'bucket' | 'region' | 'prefix'>): Policy {
  const bucket = bucketResource(config);
  return {
    version: '2.0',
    statement: [
      { effect: 'allow', action: ['name/cos:GetObject', 'name/cos:PutObject'], resource: [`${bucket}/${config.prefix}/*`] },
      { effect: 'allow', action: ['name/cos:GetBucket'], resource: [`${bucket}/*`] },
    ],
  };
}
