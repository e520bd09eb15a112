import { randomUUID } from 'node:crypto';
import COS from 'cos-nodejs-sdk-v5-published';

export const NAIVE = 'naive putObject';
/**
 * The same with the SDK's upload queue skipped (`SkipTask`, which its typings do not know), as
 * this function does: the least one SDK PUT costs. A warm instance of the naive handler keeps its
 * past 1,000 uploads in that queue and formats the whole list on every update.
 */
export const NAIVE_SKIP_TASK = 'naive putObject, SkipTask';

/**
 * The handler a user would otherwise write, which the benchmarks hold this function against:
 * the same SDK as published, without this project's edits (cos-nodejs-sdk-v5-published in
 * package.json, the same version under a name that patches/ leaves alone), one client, one
 * putObject of the event as JSON, no validation. COS_ENDPOINT points it at the local COS, as it
 * points the function.
 */
export function createNaiveHandler(env: Record<string, string | undefined>, { skipTask = false } = {}): (event: unknown) => Promise<unknown> {
  const endpoint = env.COS_ENDPOINT ? new URL(env.COS_ENDPOINT) : undefined;
  const cos = new COS({
    SecretId: env.TENCENTCLOUD_SECRETID!,
    SecretKey: env.TENCENTCLOUD_SECRETKEY!,
    ...(endpoint && { Ip: endpoint.host, Protocol: endpoint.protocol as 'http:' | 'https:' }),
  });
  return (event) =>
    cos.putObject({
      Bucket: env.COS_BUCKET!,
      Region: env.COS_REGION!,
      Key: `naive/${randomUUID()}.json`,
      Body: JSON.stringify(event),
      ContentType: 'application/json',
      ...(skipTask && { SkipTask: true }),
    } as COS.PutObjectParams);
}
