/**
 * Serves the built site (`dist/`, from `astro build`) as static files, or, before the site
 * exists, a small page that says the lessons are coming and how to use the API. Paths never
 * leave the site folder: the URL is decoded once, normalized, and the file's real path (symbolic
 * links resolved) must stay inside the folder.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type http from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
};

/** The Content-Type for a file name. */
export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file path a URL path names inside `root`, or undefined for paths that cannot be a file of
 * the site (encoded slashes or NUL, `..` escapes, undecodable text). Directories get their
 * `index.html`: `/en/ch09/rollouts/` → `root/en/ch09/rollouts/index.html`.
 */
export function resolveSitePath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return undefined;
  // A link of the site never climbs with `..`; a request that does is probing.
  if (decoded.split('/').includes('..')) return undefined;
  const normalized = normalize(decoded);
  const relative = normalized.endsWith('/') ? `${normalized}index.html` : normalized;
  const full = join(root, relative);
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : undefined;
}

/** Serves static files from a folder. */
export interface StaticSite {
  /** Answers the request if the site has something for it; false when nothing matched. */
  serve(req: http.IncomingMessage, res: http.ServerResponse, urlPath: string): Promise<boolean>;
}

/** A site served from `root` (which must exist). Immutable hashed assets are cached for a year. */
export async function createStaticSite(root: string): Promise<StaticSite> {
  const realRoot = await realpath(root);
  const findFile = async (path: string): Promise<{ path: string; size: number } | undefined> => {
    try {
      let real = await realpath(path);
      if (!(real === realRoot || real.startsWith(realRoot + sep))) return undefined;
      let info = await stat(real);
      if (info.isDirectory()) {
        real = await realpath(join(real, 'index.html'));
        if (!real.startsWith(realRoot + sep)) return undefined;
        info = await stat(real);
      }
      return info.isFile() ? { path: real, size: info.size } : undefined;
    } catch {
      return undefined;
    }
  };

  const send = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    file: { path: string; size: number },
    status: number,
    urlPath: string,
  ): void => {
    res.writeHead(status, {
      'Content-Type': contentTypeFor(file.path),
      'Content-Length': String(file.size),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': urlPath.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file.path)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  return {
    async serve(req, res, urlPath) {
      const candidate = resolveSitePath(realRoot, urlPath);
      let file = candidate ? await findFile(candidate) : undefined;
      // `astro build` writes `/about/` as about/index.html, and `/about` should find it too.
      if (!file && candidate && !candidate.endsWith('.html')) file = await findFile(`${candidate}.html`);
      if (file) {
        send(req, res, file, 200, urlPath);
        return true;
      }
      const notFound = await findFile(join(realRoot, '404.html'));
      if (notFound) {
        send(req, res, notFound, 404, urlPath);
        return true;
      }
      return false;
    },
  };
}

/** The page served at `/` until the site is built. */
export function renderPlaceholderPage(backend: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rollout Lab</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}code{background:#f2f2f2;padding:0 .2em}</style>
</head>
<body>
<h1>Rollout Lab</h1>
<p>The lessons are coming soon. The sandbox is running on the <strong>${escapeHtml(backend)}</strong> backend.</p>
<p>레슨은 곧 열립니다. 샌드박스는 지금도 API로 쓸 수 있습니다.</p>
<p>Try the API: <a href="/api">/api</a> lists the routes. For example:</p>
<pre><code>curl -X POST http://HOST/api/sessions
curl -H "Authorization: Bearer TOKEN" -o kubeconfig http://HOST/api/sessions/ID/kubeconfig
kubectl --kubeconfig kubeconfig get all</code></pre>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
