import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, ForwardError, InvalidEventError, StorageError } from '../src/errors';
import { createScfForwarder } from '../src/forward/scf';
import { MASK } from '../src/mask/rule';
import { createCosStore } from '../src/store/cos';
import { captureLogs, config } from './support/doubles';

/** What a server's message can quote: S3's error about a signature, a request's Authorization. */
const QUOTED = {
  xml: '<Error><Code>SignatureDoesNotMatch</Code><AWSAccessKeyId>AKIDPlantedKeyId</AWSAccessKeyId><SignatureProvided>PlantedSignature</SignatureProvided></Error>',
  header: 'Authorization: q-sign-algorithm=sha1&q-ak=AKIDPlantedKeyId&q-sign-time=1;2&q-signature=PlantedSignature',
};
const notQuoted = (message: string) => {
  expect(message).not.toContain('PlantedKeyId');
  expect(message).not.toContain('PlantedSignature');
  expect(message).toContain(MASK);
};

describe('the errors the function throws', () => {
  it.each([
    ['StorageError', () => new StorageError(QUOTED.xml, { key: 'k', retryable: false, code: 'AccessDenied' })],
    ['ForwardError', () => new ForwardError(QUOTED.header, { target: 't', retryable: false, code: 'AuthFailure' })],
    ['ConfigError', () => new ConfigError(`COS_ENDPOINT https://u:PlantedSignature@h (${QUOTED.header})`)],
    ['InvalidEventError', () => new InvalidEventError('invalid_task', QUOTED.xml)],
  ])('mask the message of a %s', (_name, make) => {
    const error = make();
    notQuoted(error.message);
    notQuoted(String(error.stack));
  });

  it('mask what COS answered in the StorageError a write throws', async () => {
    const body = Buffer.from('{}');
    const object = { key: 'k.json', body, md5: createHash('md5').update(body).digest('base64') };
    const answer = Object.assign(new Error(`The request signature does not match: ${QUOTED.xml}`), { statusCode: 403, code: 'SignatureDoesNotMatch' });
    const store = createCosStore(config, {
      credentials: () => ({ secretId: 'AKID', secretKey: 'k', sessionToken: undefined }),
      newClient: () => ({ options: {}, putObject: () => Promise.reject(answer) }),
    });
    const put = store.put(object, { deadline: Date.now() + 5_000 });
    await expect(put).rejects.toThrow(StorageError);
    await expect(put).rejects.toThrow(/^COS PutObject k\.json failed with 403 SignatureDoesNotMatch \(The request signature does not match: <Error>/);
    notQuoted(((await put.catch((e: unknown) => e)) as Error).message);
  });

  it('mask what the SCF API answered in the ForwardError a forward throws', async () => {
    const answer = Object.assign(new Error(`AuthFailure.SignatureFailure: the request was signed with ${QUOTED.header}`), { code: 'AuthFailure.SignatureFailure', requestId: 'r' });
    const forwarder = createScfForwarder(
      { forwardTo: [{ functionName: 'f', namespace: 'default', qualifier: '$LATEST' }], functionRegion: 'ap-guangzhou', scfEndpoint: undefined },
      { credentials: () => ({ secretId: 'AKID', secretKey: 'k', sessionToken: undefined }), newClient: async () => ({ Invoke: () => Promise.reject(answer) }) },
    );
    const event = { raw: Buffer.from('{}'), eventType: 'WorkflowTask', taskId: 't', status: 'FINISH', bucket: 'b-1250000000', region: 'ap-guangzhou', rawKey: 'r', normalizedKey: 'n' };
    const forwarded = forwarder.forward(event, { deadline: Date.now() + 5_000, log: captureLogs().logger });
    await expect(forwarded).rejects.toThrow(ForwardError);
    notQuoted(((await forwarded.catch((e: unknown) => e)) as Error).message);
  });
});
