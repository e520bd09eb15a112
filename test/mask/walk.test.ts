import { describe, expect, it } from 'vitest';
import { maskedJson, maskSecrets } from '../../src/mask/payload';
import { MASK } from '../../src/mask/rule';

describe('keys that become one once masked', () => {
  it('keep both values, the later named with ~2, ~3 …', () => {
    const payload = { 'https://u:pw@h.example.com/': 1, 'https://u:other@h.example.com/': 2, [`https://${MASK}@h.example.com/`]: 3 };
    expect(maskSecrets(payload)).toEqual({
      [`https://${MASK}@h.example.com/`]: 1,
      [`https://${MASK}@h.example.com/~2`]: 2,
      [`https://${MASK}@h.example.com/~3`]: 3,
    });
  });

  it('skip a name with ~2 after it that a key already has', () => {
    const payload = { [`https://${MASK}@h.example.com/~2`]: 0, 'https://a:b@h.example.com/': 1, 'https://c:d@h.example.com/': 2 };
    expect(maskSecrets(payload)).toEqual({ [`https://${MASK}@h.example.com/~2`]: 0, [`https://${MASK}@h.example.com/`]: 1, [`https://${MASK}@h.example.com/~3`]: 2 });
  });

  it('keep both values in an event', () => {
    const { value } = maskedJson({ ExtInfo: { 'rtmp://a:one@live.example.com/app': 'first', 'rtmp://b:two@live.example.com/app': 'second' }, Sign: 's' });
    expect(value).toEqual({ ExtInfo: { [`rtmp://${MASK}@live.example.com/app`]: 'first', [`rtmp://${MASK}@live.example.com/app~2`]: 'second' }, Sign: MASK });
  });

  it('are named in one pass, however many there are', () => {
    const payload = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`password=${i}`, i]));
    const masked = maskSecrets(payload) as Record<string, unknown>;
    expect(Object.keys(masked)).toHaveLength(50_000);
    expect(masked[`password=${MASK}~50000`]).toBe(MASK);
  });
});

describe('the walk', () => {
  it('copies only the containers on the way to what it masks, each once', () => {
    const payload = { a: { b: [{ c: 1 }, 'https://u:pw@h.example.com/', { d: 2 }], e: { f: 3 } }, g: [4], Sign: 's' };
    const masked = maskSecrets(payload) as typeof payload;
    expect(masked).toEqual({ a: { b: [{ c: 1 }, `https://${MASK}@h.example.com/`, { d: 2 }], e: { f: 3 } }, g: [4], Sign: MASK });
    expect(masked).not.toBe(payload);
    expect(masked.a).not.toBe(payload.a);
    expect(masked.a.b).not.toBe(payload.a.b);
    expect(masked.a.b[0]).toBe(payload.a.b[0]);
    expect(masked.a.b[2]).toBe(payload.a.b[2]);
    expect(masked.a.e).toBe(payload.a.e);
    expect(masked.g).toBe(payload.g);
    expect(payload.a.b[1]).toBe('https://u:pw@h.example.com/');
  });

  it('copies nothing when it masks nothing', () => {
    const payload = { a: [{ b: 'token expired' }], c: { d: null } };
    expect(maskSecrets(payload)).toBe(payload);
  });

  it('masks under a deep chain, copying only the chain', () => {
    let payload: unknown = { token: 'planted' };
    for (let i = 0; i < 100_000; i++) payload = [payload, { kept: i }];
    let masked = maskSecrets(payload) as unknown[];
    let given = payload as unknown[];
    for (let i = 0; i < 100_000; i++) {
      expect(masked[1]).toBe(given[1]);
      [masked, given] = [masked[0] as unknown[], given[0] as unknown[]];
    }
    expect(masked).toEqual({ token: MASK });
  });
});
