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
