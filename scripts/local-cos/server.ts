import { createHash, randomBytes } from 'node:crypto';
import { crc64 } from '../../src/store/crc64';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../loopback';
import { FileStore, UnsafeKeyError, type ObjectMeta } from './files';
import { LOCAL_KEY_PREFIX } from './keys';
import { verify, type Keys } from './signature';

/*
 * A local stand-in for COS: the part of its XML API this project uses (PUT, GET, HEAD, DELETE
 * object; GET bucket), with its signature check, its error bodies and a request id on every
 * answer, over real HTTP on loopback. It is reached the way production reaches COS: the SDK's
 * `Ip` option sends the connection here and keeps the Host header {bucket}.cos.{region}.myqcloud.com.
 */

export type Fault =
  | { kind: 'status'; status: number; code: string; message?: string }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'corrupt' }
  /** A 200's status and headers, then the connection dropped partway through its body. */
  | { kind: 'cut' }
  /** A 200 whose body comes one byte at a time, this far apart: never idle, never done. */
  | { kind: 'trickle'; everyMs: number }
  /** A 200 for a PUT whose body was never stored, with these headers (ETag, CRC-64, encryption). */
  | { kind: 'lose'; headers?: Record<string, string> };

export interface FaultRule {
  fault: Fault;
  /** How many matching requests it applies to; Infinity for always. */
  times: number;
  method?: string;
  /** Applies only to keys that contain this text. */
  keyIncludes?: string;
  /** Applies only to requests whose Host header contains this text. */
  hostIncludes?: string;
}

export interface LoggedRequest {
  method: string;
  bucket: string;
  key: string;
  status: number;
  fault?: Fault['kind'];
}

export interface LocalCosOptions {
  root: string;
  keys: Keys;
  /** Buckets that exist; a request for another answers NoSuchBucket. */
  buckets: string[];
  port?: number;
  /**
   * The network and COS's own time: each answer leaves this long after its request arrived (or
   * when ready, if later). The work is done on arrival, so that it hides inside the latency, as
   * COS's work for requests sent together does, on machines of its own: done after the wait,
   * this one process would queue the second of two parallel PUTs behind the first.
   */
  latencyMs?: number;
  /** How far COS's clock is ahead of this machine's: signatures are checked against it. */
  clockOffsetMs?: number;
}

export interface LocalCos {
  endpoint: string;
  port: number;
  root: string;
  files: FileStore;
  requests: LoggedRequest[];
  inject(fault: Fault, rule?: Omit<FaultRule, 'fault' | 'times'> & { times?: number }): void;
  clearFaults(): void;
  close(): Promise<void>;
}

/** The default domain and the backup one, which the SDK falls back to when the first gives no answer. */
const HOST = /^([a-z0-9-]+-\d+)\.cos\.([a-z0-9-]+)\.(?:myqcloud\.com|tencentcos\.cn)(?::\d+)?$/;
const MAX_KEY_BYTES = 850;

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const xml = (root: string, body: string) => `<?xml version='1.0' encoding='utf-8' ?>\n<${root}>${body}</${root}>`;
const el = (name: string, value: string | number | boolean) => `<${name}>${xmlEscape(String(value))}</${name}>`;

class CosError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Headers and body leave together, when the response ends: holding its end holds the answer. */
function holdAnswer(res: ServerResponse, due: number): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    setTimeout(() => end(...args), due - Date.now());
    return res;
  }) as ServerResponse['end'];
}

export async function startLocalCos(options: LocalCosOptions): Promise<LocalCos> {
  const files = new FileStore(options.root);
  for (const bucket of options.buckets) await files.createBucket(bucket);
  const rules: FaultRule[] = [];
  const requests: LoggedRequest[] = [];

  const now = () => Date.now() + (options.clockOffsetMs ?? 0);

  function takeFault(method: string, key: string, host: string): Fault | undefined {
    const rule = rules.find(
      (r) =>
        r.times > 0 &&
        (!r.method || r.method === method) &&
        (!r.keyIncludes || key.includes(r.keyIncludes)) &&
        (!r.hostIncludes || host.includes(r.hostIncludes)),
    );
    if (!rule) return undefined;
    rule.times -= 1;
    return rule.fault;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string, log: LoggedRequest): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const host = HOST.exec(req.headers.host ?? '');
    const key = decodeURIComponent(url.pathname.slice(1));
    log.key = key;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);

    const fault = takeFault(log.method, key, req.headers.host ?? '');
    if (fault) {
      log.fault = fault.kind;
      switch (fault.kind) {
        case 'reset':
          req.socket.destroy();
          return;
        case 'hang':
          return;
        case 'delay':
          await new Promise((r) => setTimeout(r, fault.ms));
          break;
        case 'status':
          throw new CosError(fault.status, fault.code, fault.message ?? `Injected ${fault.code}`);
        case 'corrupt':
          body = Buffer.from(body);
          if (body.length > 0) body[0] = body[0]! ^ 0xff;
          break;
        case 'cut':
          res.writeHead(200, { 'Content-Length': '100' }).write('<');
          setTimeout(() => req.socket.destroy(), 10);
          return;
        case 'trickle': {
          res.writeHead(200, { 'Content-Length': '100000' });
          const timer = setInterval(() => res.write(' '), fault.everyMs);
          res.on('close', () => clearInterval(timer));
          return;
        }
        case 'lose':
          res.writeHead(200, { 'Content-Length': '0', ...fault.headers }).end();
          return;
      }
    }

    if (!host) throw new CosError(400, 'InvalidURI', `Host "${req.headers.host}" is not {bucket}.cos.{region}.myqcloud.com`);
    const bucket = host[1]!;
    log.bucket = bucket;
    const denied = verify({ method: log.method, path: url.pathname === '/' ? '/' : `/${key}`, query: url.searchParams, headers: req.headers }, options.keys, Math.floor(now() / 1000));
    if (denied?.code === 'InvalidAccessKeyId' && new URLSearchParams(String(req.headers.authorization)).get('q-ak')?.startsWith(LOCAL_KEY_PREFIX)) {
      throw new CosError(403, denied.code, `The keys of this local COS changed (${options.root}/.keys.json was made again): export the environment \`npm run cos:local\` prints now.`);
    }
    if (denied) throw new CosError(denied.status, denied.code, denied.message);
    if (!(await files.hasBucket(bucket))) throw new CosError(404, 'NoSuchBucket', 'The specified bucket does not exist.');

    if (key === '') {
      if (log.method !== 'GET') throw new CosError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      return listBucket(res, bucket, url.searchParams, requestId);
    }
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new CosError(400, 'KeyTooLong', `Your key is too long (max ${MAX_KEY_BYTES} bytes).`);

    switch (log.method) {
      case 'PUT': {
        const md5 = createHash('md5').update(body).digest();
        const sent = req.headers['content-md5'];
        if (sent !== undefined && sent !== md5.toString('base64')) {
          throw new CosError(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
        }
        const encryption = encryptionOf(req);
        const userMeta = Object.fromEntries(Object.entries(req.headers).filter(([h]) => h.startsWith('x-cos-meta-')).map(([h, v]) => [h, String(v)]));
        const meta = {
          contentType: req.headers['content-type'] ?? 'application/octet-stream',
          etag: `"${(encryption ? createHash('md5').update('encrypted').update(md5) : createHash('md5').update(body)).digest('hex')}"`,
          crc64: crc64(body),
          size: body.length,
          storageClass: String(req.headers['x-cos-storage-class'] ?? 'STANDARD'),
          ...(encryption && { encryption }),
          lastModified: new Date().toUTCString(),
          userMeta,
        };
        await files.put(bucket, key, body, meta);
        res.writeHead(200, { ...storedHeaders(meta), 'Content-Length': '0' }).end();
        return;
      }
      case 'GET':
      case 'HEAD': {
        const found = log.method === 'GET' ? await files.get(bucket, key) : await files.head(bucket, key).then((meta) => meta && { meta, body: undefined });
        if (!found) throw new CosError(404, 'NoSuchKey', 'The specified key does not exist.');
        const { meta } = found;
        res.writeHead(200, {
          'Content-Type': meta.contentType,
          'Content-Length': String(found.body?.length ?? meta.size),
          ...storedHeaders(meta),
          'Last-Modified': meta.lastModified,
          'x-cos-storage-class': meta.storageClass,
          ...meta.userMeta,
        });
        res.end(found.body);
        return;
      }
      case 'DELETE':
        await files.delete(bucket, key);
        res.writeHead(204).end();
        return;
      default:
        throw new CosError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
  }

  /**
   * SSE-COS (AES256, SM4) or SSE-KMS, as a PUT asks for it (COS docs 436/7728, 436/18145); COS
   * refuses another algorithm.
   * What the object keeps is echoed in every answer about it, as COS does (436/7729).
   */
  function encryptionOf(req: IncomingMessage): Record<string, string> | undefined {
    const algorithm = req.headers['x-cos-server-side-encryption'];
    if (algorithm === undefined) return undefined;
    if (algorithm !== 'AES256' && algorithm !== 'SM4' && algorithm !== 'cos/kms') {
      throw new CosError(400, 'InvalidArgument', `The encryption algorithm ${JSON.stringify(algorithm)} is not supported.`);
    }
    const kmsKey = req.headers['x-cos-server-side-encryption-cos-kms-key-id'];
    return {
      'x-cos-server-side-encryption': algorithm,
      ...(algorithm === 'cos/kms' && { 'x-cos-server-side-encryption-cos-kms-key-id': String(kmsKey ?? 'default-cos-kms-key') }),
    };
  }

  /**
   * What COS says of a stored object: its CRC-64 (436/34078), its encryption, and an ETag that is
   * the MD5 of its bytes only when it is not encrypted ("different if the uploaded object is
   * encrypted", 436/7729), so that nothing here passes for checked that COS would not confirm.
   */
  function storedHeaders(meta: ObjectMeta): Record<string, string> {
    return { ETag: meta.etag, ...(meta.crc64 !== undefined && { 'x-cos-hash-crc64ecma': meta.crc64 }), ...meta.encryption };
  }

  async function listBucket(res: ServerResponse, bucket: string, q: URLSearchParams, requestId: string): Promise<void> {
    const prefix = q.get('prefix') ?? '';
    const marker = q.get('marker') ?? '';
    const maxKeys = Math.min(1000, Math.max(0, Number(q.get('max-keys') ?? 1000) || 1000));
    const delimiter = q.get('delimiter') ?? '';
    const { objects, prefixes, truncated } = await files.list(bucket, prefix, marker, maxKeys, delimiter);
    const contents = objects
      .map(({ key, meta }) =>
        [
          '<Contents>',
          el('Key', key),
          el('LastModified', new Date(meta.lastModified).toISOString()),
          el('ETag', meta.etag),
          el('Size', meta.size),
          el('StorageClass', meta.storageClass),
          '</Contents>',
        ].join(''),
      )
      .join('');
    const common = prefixes.map((p) => `<CommonPrefixes>${el('Prefix', p)}</CommonPrefixes>`).join('');
    const last = [...objects.map((o) => o.key), ...prefixes].sort().at(-1);
    const next = truncated && last ? el('NextMarker', last) : '';
    const body = xml(
      'ListBucketResult',
      el('Name', bucket) + el('Prefix', prefix) + (delimiter ? el('Delimiter', delimiter) : '') + el('Marker', marker) + el('MaxKeys', maxKeys) + el('IsTruncated', truncated) + next + contents + common,
    );
    res.writeHead(200, { 'Content-Type': 'application/xml', 'x-cos-request-id': requestId }).end(body);
  }

  // COS request ids are opaque; unique per emulator is all a test or a log needs.
  const idPrefix = randomBytes(6).toString('hex');
  let served = 0;
  const server = createServer((req, res) => {
    const requestId = `${idPrefix}${(++served).toString(16).padStart(12, '0')}`;
    const log: LoggedRequest = { method: req.method ?? 'GET', bucket: '', key: '', status: 0 };
    requests.push(log);
    res.setHeader('x-cos-request-id', requestId);
    // The SDK corrects its clock from this header when COS says the request's time is off.
    res.setHeader('Date', new Date(now()).toUTCString());
    res.on('finish', () => {
      log.status = res.statusCode;
    });
    if (options.latencyMs) holdAnswer(res, Date.now() + options.latencyMs);
    handle(req, res, requestId, log).catch((error: unknown) => {
      const e = error instanceof CosError ? error : error instanceof UnsafeKeyError ? new CosError(400, 'InvalidURI', error.message) : new CosError(500, 'InternalError', String(error));
      if (res.headersSent || res.destroyed) return;
      const resource = `${req.headers.host ?? ''}${req.url ?? ''}`;
      const body = log.method === 'HEAD' ? undefined : xml('Error', el('Code', e.code) + el('Message', e.message) + el('Resource', resource) + el('RequestId', requestId));
      res.writeHead(e.status, { 'Content-Type': 'application/xml', ...(body && { 'Content-Length': String(Buffer.byteLength(body)) }) }).end(body);
    });
  });
  const { endpoint, port, close } = await listenOnLoopback(server, options.port);

  return {
    endpoint,
    port,
    root: options.root,
    files,
    requests,
    inject(fault, rule = {}) {
      rules.push({ ...rule, fault, times: rule.times ?? Infinity });
    },
    clearFaults() {
      rules.length = 0;
    },
    close,
  };
}
