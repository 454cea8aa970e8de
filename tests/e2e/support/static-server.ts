/**
 * A tiny static file server over `dist/` for browser tests that need no sandbox API: directory
 * URLs serve their `index.html`, unknown paths the site's 404 page, everything else its file with
 * a content type by extension. `/api/…` answers 404 JSON, as a server without sessions would.
 */

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** A running server and how to reach and stop it. */
export interface StaticServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  close(): Promise<void>;
}

/** Maps a URL path to a file under `root`, or undefined when it would leave `root`. */
export function resolveFile(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!);
  } catch {
    return undefined;
  }
  const file = normalize(join(root, decoded.endsWith('/') ? `${decoded}index.html` : decoded));
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

/** Serves `dir` on a free port of 127.0.0.1 until `close()`. */
export async function startStaticServer(dir: string): Promise<StaticServer> {
  const root = resolve(dir);
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (url.startsWith('/api/')) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":"no sandbox API on the static test server"}');
      return;
    }
    void (async () => {
      const file = resolveFile(root, url);
      const found = file ? await stat(file).catch(() => undefined) : undefined;
      if (file && found?.isDirectory()) {
        response.writeHead(301, { location: `${url.split('?')[0]}/` });
        response.end();
        return;
      }
      const served = found?.isFile() ? file! : join(root, '404.html');
      response.writeHead(found?.isFile() ? 200 : 404, {
        'content-type': CONTENT_TYPES[extname(served)] ?? 'application/octet-stream',
      });
      createReadStream(served).pipe(response);
    })();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
