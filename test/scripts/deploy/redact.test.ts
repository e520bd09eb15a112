import { describe, expect, it } from 'vitest';
import { redactor } from '../../../scripts/deploy/redact';

describe('redactor', () => {
  it('takes every known key out wherever it appears, a key holding another taken out whole', () => {
    const redact = redactor(['AKIDabc', 'AKIDabcdef', undefined, '', 'sEcReT']);
    expect(redact('id AKIDabcdef, short AKIDabc, key sEcReT twice sEcReT')).toBe('id ***, short ***, key *** twice ***');
    expect(redact('nothing here')).toBe('nothing here');
  });
});
