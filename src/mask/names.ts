import type { HintForm, Source } from './rule';

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

const RFC_3986_USERINFO: Source = { title: 'RFC 3986 §3.2.1, User Information', url: 'https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1' };
const COS_SIGNATURE: Source = { title: 'COS, Request Signature (436/7778)', url: 'https://tencentcloud.com/document/api/436/7778' };
const S3_PRESIGNED: Source = {
  title: 'Amazon S3, Authenticating Requests: Using Query Parameters (AWS Signature Version 4)',
  url: 'https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html',
};
const STS_FEDERATION_TOKEN: Source = { title: 'Tencent Cloud STS, GetFederationToken (1312/48195)', url: 'https://cloud.tencent.com.cn/document/api/1312/48195' };
const TC3_SIGNATURE: Source = { title: 'Tencent Cloud API 3.0, Signature v3 (TC3-HMAC-SHA256)', url: 'https://www.tencentcloud.com/zh/document/api/1021/34193' };

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
      { title: 'MPS API, S3InputInfo (S3SecretId, S3SecretKey), in the Tencent Cloud SDK reference', url: 'https://www.rubydoc.info/gems/tencentcloud-sdk-mps/TencentCloud/Mps/V20190612/S3InputInfo' },
      TC3_SIGNATURE,
      STS_FEDERATION_TOKEN,
      { title: 'AWS IAM, Requesting temporary security credentials', url: 'https://docs.amazonaws.cn/IAM/latest/UserGuide/id_credentials_temp_request.html' },
      S3_PRESIGNED,
    ],
  },
  {
    what: "session tokens: COS's `x-cos-security-token`, STS's `Token`, S3's `X-Amz-Security-Token` and `SessionToken`",
    parts: ['token'],
    whole: [],
    examples: [['x-cos-security-token: planted', 'x-cos-security-token: ******']],
    sources: [COS_SIGNATURE, STS_FEDERATION_TOKEN, S3_PRESIGNED],
  },
  {
    what: "signatures: COS's `q-signature`, S3's `X-Amz-Signature` and the `SignatureProvided` of its error",
    parts: ['signature'],
    whole: [],
    examples: [['?X-Amz-Signature=deadbeefplanted&x=1', '?X-Amz-Signature=******&x=1']],
    sources: [
      COS_SIGNATURE,
      S3_PRESIGNED,
      { title: 'AWS IAM, Troubleshoot signed requests (the error quotes what was signed)', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html' },
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
      { title: 'MPS API, ParseNotification (Sign = MD5(Timestamp + NotifyKey)), in the Tencent Cloud SDK reference', url: 'https://www.rubydoc.info/gems/tencentcloud-sdk-mps/TencentCloud/Mps/V20190612/ParseNotificationResponse' },
      { title: 'VOD, Key Hotlink Protection (266/33986)', url: 'https://tencentcloud.com/document/product/266/33986' },
      { title: 'CDN, Authentication Type A (228/35222)', url: 'https://www.tencentcloud.com/document/product/228/35222' },
      { title: 'CDN, Authentication Type D (228/35225)', url: 'https://tencentcloud.com/zh/document/product/228/35225' },
      COS_SIGNATURE,
      { title: 'Alibaba Cloud CDN, URL authentication type A (auth_key)', url: 'https://help.aliyun.com/document_detail/85113.html' },
      { title: 'Azure Storage, URI and SAS parameters (sig)', url: 'https://learn.microsoft.com/it-it/training/modules/configure-storage-security/4-identify-uri-sas-parameters' },
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
      RFC_3986_USERINFO,
      { title: 'RFC 7617 §2, The Basic authentication scheme (user-id and password)', url: 'https://www.rfc-editor.org/rfc/rfc7617#section-2' },
      { title: 'StreamLink API, Data Types (SRT Passphrase) (1073/38700)', url: 'https://tencentcloud.com/zh/document/api/1073/38700' },
    ],
  },
  {
    what: "private keys: SSL's `CertificatePrivateKey`, a CDN's `PrivateKey`",
    parts: ['private.?key'],
    whole: [],
    examples: [['{"CertificatePrivateKey":"k"}', '{"CertificatePrivateKey":"******"}']],
    sources: [{ title: 'SSL Certificates API, UploadCertificate (CertificatePrivateKey) (400/41665)', url: 'https://cloud.tencent.cn/document/product/400/41665' }],
  },
  {
    what: 'API keys: `X-API-Key`',
    parts: ['api.?key'],
    whole: [],
    examples: [['X-Api-Key: k-planted', 'X-Api-Key: ******']],
    sources: [{ title: 'Amazon API Gateway, Choose an API key source (X-API-Key)', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html' }],
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
      { title: 'RFC 9110 §11.6.2, Authorization', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-11.6.2' },
      { title: 'RFC 9110 §11.7.2, Proxy-Authorization', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-11.7.2' },
      { title: 'RFC 6265 §4, Cookie and Set-Cookie', url: 'https://www.rfc-editor.org/rfc/rfc6265#section-4' },
    ],
  },
  {
    what: "DRM keys: MPS's `SimpleAesDrm`, which holds an HLS content key",
    parts: ['aes.?drm'],
    whole: [],
    examples: [['{"DrmInfo":{"Type":"simpleaes","SimpleAesDrm":{"Key":"0123"}}}', '{"DrmInfo":{"Type":"simpleaes","SimpleAesDrm":"******"}}']],
    sources: [{ title: 'MPS API, DrmInfo (SimpleAesDrm), in the Tencent Cloud SDK reference', url: 'https://www.rubydoc.info/gems/tencentcloud-sdk-mps/TencentCloud/Mps/V20190612/DrmInfo' }],
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
