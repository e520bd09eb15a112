import { jsonEscapes } from './escapes';
import { jsonInsideStrings } from './json-text';
import type { Entry, TextRule } from './rule';
import { bearer } from './rules/bearer';
import { cdnPath } from './rules/cdn-path';
import { credentialHeaders } from './rules/credential-headers';
import { hexBytesRule } from './rules/hex-bytes';
import { namedValues } from './rules/named-values';
import { pemPrivateKey } from './rules/pem-private-key';
import { userinfo } from './rules/userinfo';
import { xmlElement } from './rules/xml-element';
import { keys } from './walk';

/*
 * The registry of masking: every form of credential the function masks, each with the page that
 * shows it is emitted. docs/masking.md is written from it (npm run schema), and every example in
 * it is a test. A form is added here only with a source.
 */

/** The passes over text, in the order they run. */
export const PIPELINE: TextRule[] = [
  pemPrivateKey,
  // First, so that a secret name in an element's text does not take its closing tag for its value.
  xmlElement,
  // Before the named values, so that a name in userinfo (https://api_key:x@host) does not take the host.
  userinfo,
  // Before the named values: a value masked there would no longer end at the whitespace of a run.
  hexBytesRule,
  // Before the named values: a header's name may stand where a value starts (Cookiename := Cookie: x).
  credentialHeaders,
  namedValues,
  // Again, once the named values are masked: a masked value can take the "<" that kept an element
  // from being text only (<Token>x password="a<b"</Token>), or the space that ended userinfo
  // (x://u:password='a b'@host), which is then masked now, not when the stored text is masked again.
  userinfo,
  xmlElement,
  bearer,
  cdnPath,
];

/** Every entry, as docs/masking.md lists them: the passes, then how text and structure are read. */
export const ENTRIES: Entry[] = [...new Set<Entry>(PIPELINE), jsonEscapes, jsonInsideStrings, keys];
