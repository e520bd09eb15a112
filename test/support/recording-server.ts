import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback } from '../../scripts/loopback';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A loopback HTTP server that records what arrives and answers 200 with the body's MD5 as its ETag, as COS does for a PUT. */
export async function startRecordingServer(): Promise<{ url: string; host: string; requests: RecordedRequest[]; close: () => Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      res.writeHead(200, { 'x-cos-request-id': `rec-${requests.length}`, ETag: etag, 'Content-Length': '0' });
      res.end();
    });
  });
  const { endpoint, close } = await listenOnLoopback(server);
  return { url: endpoint, host: endpoint.slice('http://'.length), requests, close };
}
