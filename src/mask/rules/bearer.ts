import { MASK, type TextRule } from '../rule';
import { SOURCES } from '../sources';

/** A bearer or basic credential standing alone in text; a word of lower-case letters is prose, not a credential. */
const SCHEME_CREDENTIAL = /\b([Bb][Ee][Aa][Rr][Ee][Rr]|[Bb][Aa][Ss][Ii][Cc])\s+(?=[A-Za-z0-9._~+/-]*[A-Z0-9+/=])[A-Za-z0-9._~+/-]{8,}=*/g;

export const bearer: TextRule = {
  name: 'bearer credentials',
  finds: '`Bearer x` or `Basic x` standing alone in text, any case, eight characters or more; a word of lower-case letters is prose',
  hints: () => ['bearer', 'basic'],
  examples: [
    ['sent Bearer abcdefgh12345678 upstream', `sent Bearer ${MASK} upstream`],
    ['got bearer eyJhbGciOiJIUzI1NiJ9.e30.sig', `got bearer ${MASK}`],
    ['Basic transcoding template applied', 'Basic transcoding template applied'],
  ],
  sources: [
    SOURCES.rfc6750Bearer,
    SOURCES.rfc7617Basic,
  ],
  mask: (text) => text.replace(SCHEME_CREDENTIAL, `$1 ${MASK}`),
};
