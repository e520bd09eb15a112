import { randomUUID } from 'node:crypto';
import COS from 'cos-nodejs-sdk-v5-published';

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
