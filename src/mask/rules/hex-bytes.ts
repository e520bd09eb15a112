import { MASK, type HintForm, type Masking, type TextRule } from '../rule';
import { SOURCES } from '../sources';

/**
 * Bytes written in hex, a pair each, eight or more, between whitespace of any length (or JSON's
 * escapes of it written in the text: \n, \r, \t). A run is masked whole when the rules would mask
 * what it spells. Hex without separators is not read: every event holds some (MD5s, ETags,
 * TaskIds), and neither S3 nor an SDK writes bytes so; nor are Unicode's other spaces (U+00A0,
 * U+3000) separators, which no one writes between bytes, and whose hint read every event slower.
 * A run ends against no name character: masked, it would cut a name that runs on from its last
 * byte. Nor does it start against a backslash: masked, it would cut an escape whose letter is a
 * hex digit (\fe 70 …).
 */
const SEPARATOR = String.raw`(?:[ \t\n\v\f\r]|\\[nrt])`;
/** A separator written as an escape in the text, as JSON text writes it: its backslash doubled. */
const ESCAPED_IN_TEXT = String.raw`\\\\[nrt]`;
const RUN = new RegExp(String.raw`(?<![0-9A-Fa-f\\])[0-9A-Fa-f]{2}(?:${SEPARATOR}+[0-9A-Fa-f]{2}){7,}(?![\w.-])`, 'g');
/**
 * Longer runs are masked unread. What S3 signs is a few kilobytes; reading what megabytes of hex
 * spell (a control byte takes six characters in the JSON text the hints read) took a 2 MB run
 * past the heap of a 128 MB instance.
 */
const LONGEST_RUN_READ = 192 * 1024;

/** Whether a run spells what the rules mask; found once for each run, however deep the hex nests. */
function spellsSecret(run: string, masking: Masking): boolean {
  if (run.length > LONGEST_RUN_READ) return true;
  return masking.spellsSecret(run, () => {
    const spelled = Buffer.from(run.replace(/[^0-9A-Fa-f]/g, ''), 'hex').toString('latin1');
    return masking.text(spelled) !== spelled;
  });
}

const hexBytes = (text: string) => [...Buffer.from(text)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
const SIGNED_REQUEST = 'PUT\n/in.mp4\n\nhost:b.s3.amazonaws.com\nx-amz-security-token:FwoGplanted\n';

export const hexBytesRule: TextRule = {
  name: 'bytes in hex',
  finds:
    "eight or more bytes written in hex, a pair each, between ASCII whitespace of any length (or JSON's `\\n`, `\\r`, `\\t` written in text), anywhere in text, when what they spell would be masked by these rules; the run is masked whole, and a run of more than 192 KB of text is masked unread. Not read: hex without separators (MD5s, ETags, TaskIds); a last pair against a letter, digit, `_`, `.` or `-` is left out of the run",
  // Led by the whitespace before the second byte, which keeps the scan's quick check on the few
  // characters that start a hint: a leading hex digit made every event's masking about 30% slower.
  // Its separators as JSON text writes them: a space, an escape of whitespace, and a backslash
  // that escapes one in the text itself (\n written in JSON quoted in prose).
  hints: ({ space }: HintForm) => {
    const separator = `(?: |${space}|${ESCAPED_IN_TEXT})`;
    const bytes = `[0-9a-f]{2}(?:${separator}+[0-9a-f]{2}){6}`;
    return [` ${bytes}`, `${space}${bytes}`, `${ESCAPED_IN_TEXT}${bytes}`];
  },
  examples: [
    [`<CanonicalRequestBytes>${hexBytes(SIGNED_REQUEST)}</CanonicalRequestBytes>`, `<CanonicalRequestBytes>${MASK}</CanonicalRequestBytes>`],
    [`{"Code":"SignatureDoesNotMatch","CanonicalRequestBytes":"${hexBytes(SIGNED_REQUEST)}"}`, `{"Code":"SignatureDoesNotMatch","CanonicalRequestBytes":"${MASK}"}`],
    [`<StringToSignBytes>${hexBytes('AWS4-HMAC-SHA256\n20261130T000000Z')}</StringToSignBytes>`, `<StringToSignBytes>${hexBytes('AWS4-HMAC-SHA256\n20261130T000000Z')}</StringToSignBytes>`],
    ['ETag: "9b2cf535f27731c974343645a3985328"', 'ETag: "9b2cf535f27731c974343645a3985328"'],
  ],
  sources: [
    SOURCES.sigV4Troubleshooting,
    SOURCES.s3ErrorExample,
  ],
  mask: (text, masking) => text.replace(RUN, (run) => (spellsSecret(run, masking) ? MASK : run)),
};
