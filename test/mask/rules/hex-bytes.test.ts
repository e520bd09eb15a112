import { describe, expect, it, vi } from 'vitest';
import { maskedJson } from '../../../src/mask/payload';
import { MASK } from '../../../src/mask/rule';
import { maskText } from '../../../src/mask/text';
import { hexBytes } from '../../support/hex-bytes';

describe('bytes in hex', () => {
  const request = 'PUT\n/in.mp4\n\nhost:b.s3.amazonaws.com\nx-amz-security-token:FwoGplanted\n';

  it('masks them where nothing around them names a credential, in text and in an event masked in place', () => {
    const element = `<CanonicalRequestBytes>${hexBytes(request)}</CanonicalRequestBytes>`;
    expect(maskText(element)).toBe(`<CanonicalRequestBytes>${MASK}</CanonicalRequestBytes>`);
    const { json } = maskedJson({ Sign: 'planted', Message: `failed: ${element}` });
    expect(JSON.parse(json)).toEqual({ Sign: MASK, Message: `failed: <CanonicalRequestBytes>${MASK}</CanonicalRequestBytes>` });
  });

  // The forms S3's error takes once an SDK has parsed it, and the whitespace a writer may put
  // between bytes; each run is masked whole, what stands around it kept.
  it.each([
    [
      'in JSON inside a message',
      `upload failed: {"Code":"SignatureDoesNotMatch","CanonicalRequestBytes":"${hexBytes(request)}"}`,
      `upload failed: {"Code":"SignatureDoesNotMatch","CanonicalRequestBytes":"${MASK}"}`,
    ],
    ['in JSON text', `{"Code":"SignatureDoesNotMatch","CanonicalRequestBytes":"${hexBytes(request)}"}`, `{"Code":"SignatureDoesNotMatch","CanonicalRequestBytes":"${MASK}"}`],
    ['in prose', `SignatureDoesNotMatch, CanonicalRequestBytes: ${hexBytes(request)} (RequestId R1)`, `SignatureDoesNotMatch, CanonicalRequestBytes: ${MASK} (RequestId R1)`],
    ['sixteen to a line', `CanonicalRequestBytes:\n${hexBytes(request).replace(/((?:\w\w ){15}\w\w) /g, '$1\n')}\nRequestId: R1`, `CanonicalRequestBytes:\n${MASK}\nRequestId: R1`],
    ['between tabs', `bytes: ${hexBytes(request, '\t')}`, `bytes: ${MASK}`],
    ['between several spaces', `bytes: ${hexBytes(request, '   ')}`, `bytes: ${MASK}`],
    ['in upper case', `bytes: ${hexBytes(request).toUpperCase()}`, `bytes: ${MASK}`],
    ['with whitespace around them in an element', `<CanonicalRequestBytes>\n  ${hexBytes(request)}\n</CanonicalRequestBytes>`, `<CanonicalRequestBytes>\n  ${MASK}\n</CanonicalRequestBytes>`],
    ['between newlines escaped in JSON quoted in prose', `body: {"CanonicalRequestBytes":"${hexBytes(request, '\\n')}"}`, `body: {"CanonicalRequestBytes":"${MASK}"}`],
  ])('masks them %s', (_form, given, kept) => {
    expect(maskText(given)).toBe(kept);
    expect(maskText(kept)).toBe(kept);
  });

  // JSON text writes each of these but the space as an escape, which the hints must read as
  // whitespace: no space stands in these messages.
  it.each(['\n', '\r\n', '\t', '\v', '\f', '  '])('masks them between %j in an event masked in place', (separator) => {
    const { json } = maskedJson({ Sign: 'planted', Message: `CanonicalRequestBytes:${separator}${hexBytes(request, separator)}` });
    expect(JSON.parse(json)).toEqual({ Sign: MASK, Message: `CanonicalRequestBytes:${separator}${MASK}` });
  });

  // Masked first, a run would no longer hold the whitespace that ends a value before it, which
  // would then take the name after it (token: zz******/secret: x kept x).
  it('reads them after the named values', () => {
    expect(maskText(`token: zz${hexBytes(request)}/secret: planted`)).toBe(`token: ${MASK}secret: ${MASK}`);
  });

  // Masked from the escape's letter, the JSON quoted in the message would no longer parse.
  it('starts a run after an escape whose letter is a hex digit', () => {
    const message = `{"m":"\\fe ${hexBytes('password=planted')}"}`;
    const masked = maskText(`body: ${message}`);
    expect(masked).toBe(`body: {"m":"\\fe ${MASK}"}`);
    expect(JSON.parse(masked.slice('body: '.length))).toEqual({ m: `\fe ${MASK}` });
  });

  // What megabytes of hex spell is not read: a 2 MB run took the instance past its heap.
  it('masks a run longer than any S3 quotes whole, unread', () => {
    const from = vi.spyOn(Buffer, 'from');
    try {
      expect(maskText(`bytes: ${'00 '.repeat(70_000)}`)).toBe(`bytes: ${MASK} `);
      expect(from).not.toHaveBeenCalled();
    } finally {
      from.mockRestore();
    }
  });

  // Masked whole, the run would cut the name that runs on from its last byte: 0asign= would read
  // as sign=, taking token: for its value.
  it('ends a run before a name that runs on from its last byte', () => {
    expect(maskText(`${hexBytes(request)}sign=token: planted`)).toBe(`${MASK} 0asign=token: ${MASK}`);
  });

  it.each([
    ['an MD5 ETag', 'ETag: "9b2cf535f27731c974343645a3985328"'],
    ['a TaskId', 'task 2600010949-WorkflowTask-764a7f3ca6f6eb13cda2048cfb034025tt7 finished'],
    ['bytes that spell nothing the rules mask', `<StringToSignBytes>${hexBytes('AWS4-HMAC-SHA256\n20261130T000000Z')}</StringToSignBytes>`],
    ['numbers of two digits', 'frames 10 20 30 40 50 60 70 80 90 dropped'],
  ])('leaves %s as it is', (_what, text) => {
    expect(maskText(text)).toBe(text);
  });

  // The hints must not fire on the hex every event holds: such an event is neither walked nor copied.
  it('takes ordinary hex for no hint', () => {
    const payload = {
      TaskId: '2600010949-WorkflowTask-764a7f3ca6f6eb13cda2048cfb034025tt7',
      ETag: '"9b2cf535f27731c974343645a3985328"',
      RequestId: 'a1b2c3d4-e5f6-4789-8abc-def012345678',
      Md5: 'd41d8cd98f00b204e9800998ecf8427e',
      Progress: '10 20 30 40 50 60 70',
    };
    expect(maskedJson(payload).value).toBe(payload);
  });

  // Each level was read four times for each reading of the level around it: a megabyte of hex
  // spelling hex twelve levels deep took seconds, and each level more four times as long.
  it.each([
    ['in an element', (hex: string) => `<b>${hex}</b>`],
    ['in prose', (hex: string) => `bytes: ${hex}`],
  ])('reads hex that spells hex %s once per level for each reading of the outermost', (_where, wrap) => {
    let text = '\\u0041 bearer bonds';
    for (let level = 0; level < 8; level++) text = `\\u0041 ${wrap(hexBytes(text))}`;
    const from = vi.spyOn(Buffer, 'from');
    try {
      expect(maskText(text)).toBe(text);
      const decoded = from.mock.calls.filter((call) => (call as unknown[])[1] === 'hex');
      expect(decoded.length).toBeGreaterThanOrEqual(8);
      expect(decoded.length).toBeLessThanOrEqual(4 * 8);
    } finally {
      from.mockRestore();
    }
  });
});
