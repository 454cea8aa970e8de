import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, createStaticSite, resolveSitePath } from '../../../sandbox/server/static-site.ts';

describe('resolveSitePath', () => {
  const root = '/srv/dist';
  const cases: [string, string | undefined][] = [
    ['/', '/srv/dist/index.html'],
    ['/en/ch09/rollouts/', '/srv/dist/en/ch09/rollouts/index.html'],
    ['/_astro/app.1a2b.js', '/srv/dist/_astro/app.1a2b.js'],
    ['/ko/%EB%A1%A4%EC%95%84%EC%9B%83/', '/srv/dist/ko/롤아웃/index.html'],
    ['/a/./b', '/srv/dist/a/b'],
    ['/../etc/passwd', undefined],
    ['/%2e%2e/etc/passwd', undefined],
    ['/a/..%2f..%2fetc/passwd', undefined],
    ['/a%5c..%5c..%5cetc', undefined],
    ['/a%00.html', undefined],
    ['/%E0%A4%A', undefined],
    ['relative', undefined],
  ];
  it.each(cases)('%s → %s', (path, expected) => {
    expect(resolveSitePath(root, path)).toBe(expected);
  });

  const types: [string, string][] = [
    ['index.html', 'text/html; charset=utf-8'],
    ['app.JS', 'text/javascript; charset=utf-8'],
    ['font.woff2', 'font/woff2'],
    ['noext', 'application/octet-stream'],
  ];
  it.each(types)('%s is served as %s', (name, type) => {
    expect(contentTypeFor(name)).toBe(type);
  });
});

describe('serving the built site', () => {
  let dir: string;
  let outside: string;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rl-site-'));
    outside = mkdtempSync(join(tmpdir(), 'rl-secret-'));
    writeFileSync(join(outside, 'secret.txt'), 'host secret');
    mkdirSync(join(dir, 'en/ch09/rollouts'), { recursive: true });
    mkdirSync(join(dir, '_astro'));
    writeFileSync(join(dir, 'index.html'), '<h1>home</h1>');
    writeFileSync(join(dir, 'en/ch09/rollouts/index.html'), '<h1>rollouts</h1>');
    writeFileSync(join(dir, '_astro/app.abc.js'), 'console.log(1)');
    writeFileSync(join(dir, '404.html'), '<h1>missing</h1>');
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'leak.txt'));
    symlinkSync(outside, join(dir, 'leakdir'));
    const site = await createStaticSite(dir);
    server = http.createServer((req, res) => {
      void site.serve(req, res, new URL(req.url ?? '/', 'http://x').pathname).then((served) => {
        if (!served) {
          res.writeHead(599);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const cases: [string, number, string | undefined][] = [
    ['/', 200, '<h1>home</h1>'],
    ['/en/ch09/rollouts/', 200, '<h1>rollouts</h1>'],
    ['/en/ch09/rollouts', 200, '<h1>rollouts</h1>'],
    ['/_astro/app.abc.js', 200, 'console.log(1)'],
    ['/nope/', 404, '<h1>missing</h1>'],
    ['/leak.txt', 404, '<h1>missing</h1>'],
    ['/leakdir/secret.txt', 404, '<h1>missing</h1>'],
    ['/%2e%2e/%2e%2e/etc/passwd', 404, '<h1>missing</h1>'],
  ];
  it.each(cases)('GET %s → %d', async (path, status, body) => {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(status);
    const text = await response.text();
    if (body !== undefined) expect(text).toBe(body);
    expect(text).not.toContain('host secret');
  });

  it('caches hashed assets for a year and pages not at all', async () => {
    expect((await fetch(`${base}/_astro/app.abc.js`)).headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/`)).headers.get('cache-control')).toBe('no-cache');
  });
});
