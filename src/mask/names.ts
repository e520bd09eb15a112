import type { HintForm, Source } from './rule';
import { SOURCES } from './sources';

/*
 * The names whose value is a credential: as a key at any depth, a parameter of a URL or a form,
 * a header, a named value in text, an XML element. A name is written in lower case, with `.?` for
 * one separator or none (api_key, x-api-key, apiKey and "API Key" are one name).
 */

interface NameFamily {
  what: string;
  /** Names that are a credential's also inside a longer name: S3SecretKey, x-cos-security-token. */
  parts: string[];
  /** Names that are a credential's only whole: MPS's Sign, not design. */
  whole: string[];
  /** Headers whose whole value, to the end of its line, is the credential, whatever its scheme. */
  headers?: string[];
  examples: [given: string, stored: string][];
  sources: Source[];
}

export const NAME_FAMILIES: NameFamily[] = [
  {
    what: "Tencent Cloud and S3 keys: `SecretId`, `SecretKey`, STS's `TmpSecretKey`, MPS's `S3SecretId` and `S3SecretKey`, `AccessKeyId`, `SecretAccessKey`, STS's `Credentials`, SigV4's `X-Amz-Credential`",
    parts: ['secret', 'access.?key', 'credential'],
    whole: [],
    examples: [
      ['{"S3Bucket":"b","S3SecretId":"AKIDplanted","S3SecretKey":"planted"}', '{"S3Bucket":"b","S3SecretId":"******","S3SecretKey":"******"}'],
      ['<AccessKeyId>AKIAPLANTED</AccessKeyId>', '<AccessKeyId>******</AccessKeyId>'],
    ],
    sources: [
      SOURCES.mpsS3Input,
      SOURCES.tc3Signature,
      SOURCES.stsFederationToken,
      SOURCES.awsTemporaryCredentials,
      SOURCES.s3Presigned,
    ],
  },
  {
    what: "session tokens: COS's `x-cos-security-token`, STS's `Token`, S3's `X-Amz-Security-Token` and `SessionToken`",
    parts: ['token'],
    whole: [],
    examples: [['x-cos-security-token: planted', 'x-cos-security-token: ******']],
    sources: [SOURCES.cosSignature, SOURCES.stsFederationToken, SOURCES.s3Presigned],
  },
  {
    what: "signatures: COS's `q-signature`, S3's `X-Amz-Signature` and the `SignatureProvided` of its error",
    parts: ['signature'],
    whole: [],
    examples: [['?X-Amz-Signature=deadbeefplanted&x=1', '?X-Amz-Signature=******&x=1']],
    sources: [
      SOURCES.cosSignature,
      SOURCES.s3Presigned,
      SOURCES.sigV4Troubleshooting,
    ],
  },
  {
    what: "URL-signing parameters, whole names only: MPS's `Sign`, VOD's and CDN's `sign` (TypeA, TypeD), COS's `q-ak`, CDN's `auth_key` (a name the CDN lets a user choose), a SAS `sig`",
    parts: [],
    whole: ['sign', 'sig', 'q.?ak', 'auth', 'auth.?key'],
    examples: [
      ['{"Timestamp":1700000000,"Sign":"d41d8cd98f00b204e9800998ecf8427e"}', '{"Timestamp":1700000000,"Sign":"******"}'],
      ['?q-sign-algorithm=sha1&q-ak=AKIDplanted&q-sign-time=1;2', '?q-sign-algorithm=sha1&q-ak=******&q-sign-time=1;2'],
      ['/a.mp4?auth_key=1444435200-0-0-23bf85053008f5c0e791667a313e28ce', '/a.mp4?auth_key=******'],
    ],
    sources: [
      SOURCES.mpsNotification,
      SOURCES.vodKeyHotlink,
      SOURCES.cdnTypeA,
      SOURCES.cdnTypeD,
      SOURCES.cosSignature,
      SOURCES.aliyunCdnAuthKey,
      SOURCES.azureSas,
    ],
  },
  {
    what: "passwords: a URL's user:password, Basic's user-id:password, StreamLink's SRT `Passphrase`, and the short `pwd` and `pass` (whole only)",
    parts: ['passw', 'pass.?word', 'pwd', 'passphrase'],
    whole: ['pass'],
    examples: [
      ['retry with password=hunter2 and pass=x', 'retry with password=****** and pass=******'],
      ['{"SRTSettings":{"Passphrase":"planted"}}', '{"SRTSettings":{"Passphrase":"******"}}'],
    ],
    sources: [
      SOURCES.rfc3986Userinfo,
      SOURCES.rfc7617Basic,
      SOURCES.streamLinkTypes,
    ],
  },
  {
    what: "private keys: SSL's `CertificatePrivateKey`, a CDN's `PrivateKey`",
    parts: ['private.?key'],
    whole: [],
    examples: [['{"CertificatePrivateKey":"k"}', '{"CertificatePrivateKey":"******"}']],
    sources: [SOURCES.sslUploadCertificate],
  },
  {
    what: 'API keys: `X-API-Key`',
    parts: ['api.?key'],
    whole: [],
    examples: [['X-Api-Key: k-planted', 'X-Api-Key: ******']],
    sources: [SOURCES.apiGatewayKey],
  },
  {
    what: 'HTTP credentials: `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`; in a header, the whole value to the end of its line, whatever the scheme',
    parts: ['authorization', 'cookie'],
    whole: [],
    headers: ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'],
    examples: [
      ['{"Authorization":"q-sign-algorithm=sha1&q-ak=AKIDplanted&q-signature=planted"}', '{"Authorization":"******"}'],
      ['Cookie: sid=1; theme=dark\nHost: h', 'Cookie: ******\nHost: h'],
    ],
    sources: [
      SOURCES.rfc9110Authorization,
      SOURCES.rfc9110ProxyAuthorization,
      SOURCES.rfc6265Cookies,
    ],
  },
  {
    what: "DRM keys: MPS's `SimpleAesDrm`, which holds an HLS content key",
    parts: ['aes.?drm'],
    whole: [],
    examples: [['{"DrmInfo":{"Type":"simpleaes","SimpleAesDrm":{"Key":"0123"}}}', '{"DrmInfo":{"Type":"simpleaes","SimpleAesDrm":"******"}}']],
    sources: [SOURCES.mpsDrm],
  },
];

const PARTS = NAME_FAMILIES.flatMap((f) => f.parts);
const WHOLE = NAME_FAMILIES.flatMap((f) => f.whole);
const SECRET_NAME = new RegExp(`${PARTS.join('|')}|^(?:${WHOLE.join('|')})$`, 'i');
/** The headers whose value is a credential whole, in lower case. */
export const HEADER_NAMES = NAME_FAMILIES.flatMap((f) => f.headers ?? []);
/** One of them, as a pattern. */
export const HEADER_NAME = `(?:${HEADER_NAMES.join('|')})`;
const HEADER_LINE = new RegExp(`^${HEADER_NAME}$`, 'i');

/** A key, or a name in text, whose value is a credential. */
export const isSecretName = (name: string) => SECRET_NAME.test(name);

/** A header's name whose value is a credential to the end of its line: Authorization, Proxy-Authorization, Set-Cookie. */
export const isHeaderLineName = (name: string) => HEADER_LINE.test(name);

/**
 * Every name, as the hints read it: any of its characters may be written as an escape, and a whole
 * name counts only before a separator or ">" (an XML element's closing tag: </Sign>).
 */
export function nameHints({ char, gap }: HintForm): string[] {
  const spelled = (name: string) => name.replaceAll('.?', `${char}?`);
  return [...PARTS.map(spelled), ...WHOLE.map((name) => `${spelled(name)}(?=${gap}(?::|=|%3d|>))`)];
}
