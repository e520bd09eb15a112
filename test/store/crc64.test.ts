import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc64 } from '../../src/store/crc64';

/** CRC-64/XZ bit by bit, with BigInt: ECMA-182 reflected, all ones in and out, as Go's hash/crc64 ECMA. */
function bitwise(bytes: Uint8Array): string {
  const poly = 0xc96c5795d7870f42n;
  let crc = 0xffffffffffffffffn;
  for (const byte of bytes) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return (crc ^ 0xffffffffffffffffn).toString();
}

describe('crc64', () => {
  it("gives the catalogue's check value of CRC-64/XZ for 123456789, in decimal as COS writes it", () => {
    expect(crc64(Buffer.from('123456789'))).toBe(BigInt('0x995dc9bbdf1939fa').toString());
  });

  it('agrees with the bit-by-bit definition at every length around its eight-byte steps', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = randomBytes(length);
      expect(crc64(bytes), `length ${length}`).toBe(bitwise(bytes));
    }
  });

  it('is 0 for no bytes, as ones in and ones out cancel', () => {
    expect(crc64(Buffer.alloc(0))).toBe('0');
  });
});
