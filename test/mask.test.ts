import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK, maskedJson, maskSecrets } from '../src/mask';
import { fixture } from './support/fixtures';

describe('maskSecrets', () => {
  it('masks the S3 keys MPS puts in input and output storage, at any depth', () => {
    const event = fixture('events/workflow-task-s3-secrets.json');
    const text = JSON.stringify(maskSecrets(event));
    expect(JSON.stringify(event)).toContain('FIXTURE-S3-SECRET-KEY-NOT-REAL');
    expect(text).not.toContain('NOT-REAL');
    expect(text).toContain(`"S3SecretId":"${MASK}"`);
    expect(text).toContain(`"S3SecretKey":"${MASK}"`);
    expect(text).toContain(`"password":"${MASK}"`);
    expect(text).toContain('"note":"kept"');
  });

  it.each(['S3SecretKey', 'SecretId', 'client_secret', 'Password', 'db_passwd', 'SessionToken', 'AccessKeyId', 'private_key', 'Credentials'])(
    'masks a key named %s, whatever its value',
    (key) => {
      expect(maskSecrets({ [key]: 'value' })).toEqual({ [key]: MASK });
      expect(maskSecrets({ [key]: { nested: 1 } })).toEqual({ [key]: MASK });
      expect(maskSecrets([{ [key]: 42 }])).toEqual([{ [key]: MASK }]);
    },
  );

  it('keeps empty secret fields empty, so the record shows none was sent', () => {
    expect(maskSecrets({ S3SecretKey: '', S3SecretId: null })).toEqual({ S3SecretKey: '', S3SecretId: null });
  });

  it('leaves other keys and values alone, and does not modify its input', () => {
    const input = { TaskId: 't', Bucket: 'b', List: [1, 'two', null, { Secret: 's' }] };
    const copy = structuredClone(input);
    expect(maskSecrets(input)).toEqual({ TaskId: 't', Bucket: 'b', List: [1, 'two', null, { Secret: MASK }] });
    expect(input).toEqual(copy);
  });

  it('keeps a "__proto__" key as a plain key', () => {
    const payload = JSON.parse('{"__proto__": {"x": 1}, "a": 2}');
    expect(JSON.stringify(maskSecrets(payload))).toBe('{"__proto__":{"x":1},"a":2}');
  });

  it('is the identity on JSON with no secret-like keys', () => {
    const safeKey = fc.string().filter((k) => !/secret|passw|pwd|token|credential|private.?key|access.?key/i.test(k));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value')),
        fc.dictionary(safeKey, tie('value')),
      ),
    }));
    fc.assert(
      fc.property(value, (v) => {
        expect(JSON.stringify(maskSecrets(v))).toBe(JSON.stringify(v));
      }),
    );
  });
});

describe('maskedJson', () => {
  it('serializes a payload with no secret-like words once, without copying it', () => {
    const payload = { EventType: 'WorkflowTask', List: [1, 2] };
    const { json, value } = maskedJson(payload);
    expect(json).toBe(JSON.stringify(payload));
    expect(value).toBe(payload);
  });

  it('masks a payload whose text holds a secret-like word, and serializes the masked copy', () => {
    const payload = fixture('events/workflow-task-s3-secrets.json');
    const { json, value } = maskedJson(payload);
    expect(value).toEqual(maskSecrets(payload));
    expect(json).toBe(JSON.stringify(maskSecrets(payload)));
    expect(json).not.toContain('NOT-REAL');
  });

  it('takes the masking path for a secret-like word in a value too, which changes nothing there', () => {
    const payload = { Message: 'token expired' };
    expect(maskedJson(payload)).toEqual({ json: '{"Message":"token expired"}', value: payload });
  });

  it('reads undefined as null', () => {
    expect(maskedJson(undefined)).toEqual({ json: 'null', value: null });
  });

  it('masks a key whose characters JSON escapes', () => {
    const payload = JSON.parse('{"private\\u0001key": "value", "se\\u017Fcret": 1}');
    expect(JSON.parse(maskedJson(payload).json)).toEqual({ 'private\u0001key': MASK, 'se\u017Fcret': 1 });
  });

  it('always gives what masking the whole payload gives', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.oneof(fc.constantFrom('S3SecretKey', 'Password', 'private\u0001key', 'Other'), fc.string({ unit: 'binary' })), (v, key) => {
        const payload = { [key]: v, Nested: [{ [key]: 'x' }] };
        const { json, value } = maskedJson(payload);
        expect(json).toBe(JSON.stringify(maskSecrets(payload)));
        expect(value).toEqual(maskSecrets(payload));
      }),
    );
  });
});
