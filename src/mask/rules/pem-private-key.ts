import { MASK, type TextRule } from '../rule';
import { SOURCES } from '../sources';

/**
 * A PEM private key (RFC 7468): its BEGIN line, then lines of base64, and the headers of a legacy
 * encrypted key (Proc-Type, DEK-Info), each line ended by a line end or, when the key is quoted in
 * JSON text, by its escape; then its END line. What lies between the two lines is masked, the
 * lines kept. A key cut short is masked when its text ends there: at the text's end, a quote, a
 * line end or an escape, never in the middle of a word that runs on.
 */
const LINE_END = String.raw`(?:[ \t]*(?:\r?\n|\\+r\\+n|\\+n))`;
const LINE = String.raw`(?:[A-Za-z0-9+/=]+|Proc-Type: [0-9A-Z,]+|DEK-Info: [0-9A-Z,-]+)`;
const LABEL = '(?:[A-Z0-9]+ ){0,3}PRIVATE KEY';
const PEM_PRIVATE_KEY = new RegExp(`(-----BEGIN ${LABEL}-----)((?:${LINE_END}${LINE}?)+)(?:(-----END ${LABEL}-----)|(?=$|["'\\r\\n\\\\]))`, 'g');

const KEY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7plantedQ\nyZ3xW5plantedzR9A==';

export const pemPrivateKey: TextRule = {
  name: 'PEM private keys',
  finds:
    '`-----BEGIN … PRIVATE KEY-----` … `-----END … PRIVATE KEY-----` (PKCS #8, RSA, EC, encrypted, OpenSSH), its lines ending in newlines or in JSON\'s `\\n`: what lies between the two lines; a key cut short, to where its text stops being base64',
  hints: () => ['private key-----'],
  examples: [
    [`key: -----BEGIN PRIVATE KEY-----\n${KEY}\n-----END PRIVATE KEY-----\n`, `key: -----BEGIN PRIVATE KEY-----${MASK}-----END PRIVATE KEY-----\n`],
    [
      `{"CertificatePublicKey":"c","Key":${JSON.stringify(`-----BEGIN RSA PRIVATE KEY-----\n${KEY}\n-----END RSA PRIVATE KEY-----`)}}`,
      `{"CertificatePublicKey":"c","Key":"-----BEGIN RSA PRIVATE KEY-----${MASK}-----END RSA PRIVATE KEY-----"}`,
    ],
    [
      `upload failed: ${JSON.stringify({ key: `-----BEGIN EC PRIVATE KEY-----\n${KEY}\n-----END EC PRIVATE KEY-----\n` })}`,
      `upload failed: {"key":"-----BEGIN EC PRIVATE KEY-----${MASK}-----END EC PRIVATE KEY-----\\n"}`,
    ],
    ['-----BEGIN CERTIFICATE-----\nMIIDezCCAmOgAwIBAgIJAMJc\n-----END CERTIFICATE-----', '-----BEGIN CERTIFICATE-----\nMIIDezCCAmOgAwIBAgIJAMJc\n-----END CERTIFICATE-----'],
  ],
  sources: [
    SOURCES.rfc7468PrivateKey,
    SOURCES.sslUploadCertificate,
  ],
  mask: (text) => text.replace(PEM_PRIVATE_KEY, (_key, begin: string, _body: string, end = '') => `${begin}${MASK}${end}`),
};
