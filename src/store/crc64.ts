/*
 * CRC-64 as COS computes it for x-cos-hash-crc64ecma: ECMA-182's polynomial, reflected, with all
 * ones before and after (COS docs 436/34078; Go's hash/crc64 ECMA table, which COS's own Go SDK
 * checks every upload with). JavaScript has no 64-bit integer that is fast, so the register is two
 * 32-bit halves, and eight tables take a byte each of eight at a time.
 */
const POLY_HI = 0xc96c5795;
const POLY_LO = 0xd7870f42;

function tables(): { hi: Uint32Array; lo: Uint32Array } {
  const hi = new Uint32Array(8 * 256);
  const lo = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let h = 0;
    let l = n;
    for (let bit = 0; bit < 8; bit++) {
      const carry = l & 1;
      l = ((l >>> 1) | (h << 31)) >>> 0;
      h >>>= 1;
      if (carry) {
        h = (h ^ POLY_HI) >>> 0;
        l = (l ^ POLY_LO) >>> 0;
      }
    }
    hi[n] = h;
    lo[n] = l;
  }
  // Table k is table k-1 shifted by one more byte: what a byte does eight, seven, ... places back.
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const h = hi[(k - 1) * 256 + n]!;
      const l = lo[(k - 1) * 256 + n]!;
      const i = l & 0xff;
      hi[k * 256 + n] = (h >>> 8) ^ hi[i]!;
      lo[k * 256 + n] = ((l >>> 8) | (h << 24)) ^ lo[i]!;
    }
  }
  return { hi, lo };
}

const TABLES = tables();

/** The CRC-64 of the bytes, in decimal, as COS writes it in x-cos-hash-crc64ecma. */
export function crc64(bytes: Uint8Array): string {
  const { hi: H, lo: L } = TABLES;
  let h = 0xffffffff;
  let l = 0xffffffff;
  let i = 0;
  const end8 = bytes.length - (bytes.length % 8);
  for (; i < end8; i += 8) {
    const a = l ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    const b = h ^ (bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24));
    const t0 = 7 * 256 + (a & 0xff);
    const t1 = 6 * 256 + ((a >>> 8) & 0xff);
    const t2 = 5 * 256 + ((a >>> 16) & 0xff);
    const t3 = 4 * 256 + (a >>> 24);
    const t4 = 3 * 256 + (b & 0xff);
    const t5 = 2 * 256 + ((b >>> 8) & 0xff);
    const t6 = 256 + ((b >>> 16) & 0xff);
    const t7 = b >>> 24;
    h = H[t0]! ^ H[t1]! ^ H[t2]! ^ H[t3]! ^ H[t4]! ^ H[t5]! ^ H[t6]! ^ H[t7]!;
    l = L[t0]! ^ L[t1]! ^ L[t2]! ^ L[t3]! ^ L[t4]! ^ L[t5]! ^ L[t6]! ^ L[t7]!;
  }
  for (; i < bytes.length; i++) {
    const n = (l ^ bytes[i]!) & 0xff;
    l = ((l >>> 8) | (h << 24)) ^ L[n]!;
    h = (h >>> 8) ^ H[n]!;
  }
  return ((BigInt((~h) >>> 0) << 32n) | BigInt((~l) >>> 0)).toString();
}
