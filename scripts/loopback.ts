import { createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Starts a development server on loopback (an ephemeral port unless one is given). Its close()
 * also ends open and hung connections, so that a test leaves nothing running, and may be called
 * more than once.
 */
export async function listenOnLoopback(server: Server, port = 0): Promise<{ endpoint: string; port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    port: bound,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((e) => (e ? reject(e) : resolve()));
      });
      return closing;
    },
  };
}

/**
 * Answers a request as COS answers a PUT it has stored, once the body has arrived: 200, with the
 * body's MD5 as ETag, which the function checks. Nothing is kept: for measures and the code cache,
 * where a COS that does its own work would be measured too.
 */
export function answerAsStored(req: IncomingMessage, res: ServerResponse): void {
  const md5 = createHash('md5');
  req.on('data', (chunk: Buffer) => md5.update(chunk));
  req.on('end', () => res.writeHead(200, { ETag: `"${md5.digest('hex')}"`, 'Content-Length': '0' }).end());
}
