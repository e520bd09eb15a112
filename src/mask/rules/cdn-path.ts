import { MASK, type TextRule } from '../rule';
import { SOURCES } from '../sources';

/** Tencent CDN URL signing in the path: TypeB /YYYYMMDDHHMM/md5/ and TypeC /md5/hex-time/. */
const TYPE_B = /(:\/\/[^/\s"']+\/\d{12}\/)[0-9a-f]{32}(?=\/)/gi;
const TYPE_C = /(:\/\/[^/\s"']+\/)[0-9a-f]{32}(?=\/[0-9a-f]{8}\/)/gi;

export const cdnPath: TextRule = {
  name: 'CDN path signatures',
  finds: 'Tencent CDN TypeB `/YYYYMMDDHHMM/md5hash/` and TypeC `/md5hash/hex-timestamp/` in a URL\'s path',
  hints: () => [String.raw`\/\d{12}\/[0-9a-f]{32}\/`, String.raw`\/[0-9a-f]{32}\/[0-9a-f]{8}\/`],
  examples: [
    ['http://cdn.example.com/202003032017/b91bad39a0f9c885ddebd6b6164de3c4/test.jpg', `http://cdn.example.com/202003032017/${MASK}/test.jpg`],
    ['http://cdn.example.com/b91bad39a0f9c885ddebd6b6164de3c4/5e5b1b2a/test.jpg', `http://cdn.example.com/${MASK}/5e5b1b2a/test.jpg`],
  ],
  sources: [
    SOURCES.cdnTypeB,
    SOURCES.cdnTypeC,
  ],
  mask: (text) => text.replace(TYPE_B, `$1${MASK}`).replace(TYPE_C, `$1${MASK}`),
};
