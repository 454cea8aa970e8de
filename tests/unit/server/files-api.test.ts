/**
 * The editor's files API: the pure path checks (a table of hostile paths), the disk operations
 * on a temporary workdir with symbolic links that lead out, and the HTTP routes over real
 * loopback HTTP with raw request paths (fetch would fold `..` away before sending).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SandboxServer, type SandboxSession, startSandboxServer } from '../../../sandbox/server/app.ts';
import { TerminalHub } from '../../../sandbox/server/terminals.ts';
import {
  decodeWorkdirPath,
  listWorkdir,
  parseEtagList,
  parseWorkdirPath,
  readWorkdirFile,
  versionOf,
  WorkdirFileError,
  writeWorkdirFile,
} from '../../../sandbox/server/workdir-files.ts';
import {
  ApiErrorBody,
  MAX_EDITOR_FILE_BYTES,
  SavedFile,
  WorkdirFile,
  WorkdirTree,
} from '../../../src/protocol/index.ts';

const MANIFEST = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: vweb\nspec:\n  replicas: 3\n';

/** A workdir like a session's, with traps: links out of it, a binary file, a big file. */
function makeWorkdir(): { base: string; root: string } {
  const base = mkdtempSync(join(tmpdir(), 'rl-files-'));
  const root = join(base, 'ch09');
  mkdirSync(join(root, 'vweb', 'update'), { recursive: true });
  writeFileSync(join(root, 'vweb', 'update', 'vweb-v1-scale.yaml'), MANIFEST);
  writeFileSync(join(root, 'vweb', 'deployment.yaml'), MANIFEST);
  writeFileSync(join(base, 'secret.txt'), 'outside');
  mkdirSync(join(base, 'elsewhere'));
  symlinkSync(join(base, 'secret.txt'), join(root, 'link-out.txt'));
  symlinkSync(join(base, 'elsewhere'), join(root, 'dir-out'));
  symlinkSync('vweb/deployment.yaml', join(root, 'link-in.yaml'));
  writeFileSync(join(root, 'binary.bin'), Buffer.from([0x41, 0x00, 0x42]));
  writeFileSync(join(root, 'latin1.txt'), Buffer.from([0xe9, 0x74, 0xe9]));
  writeFileSync(join(root, 'big.yaml'), 'x'.repeat(MAX_EDITOR_FILE_BYTES + 1));
  return { base, root };
}

describe('parseWorkdirPath', () => {
  const refused: [string, RegExp][] = [
    ['', /empty/],
    ['/etc/passwd', /absolute/],
    ['../secret.txt', /climbs out/],
    ['vweb/../../secret.txt', /climbs out/],
    ['vweb/..', /climbs out/],
    ['./vweb/x.yaml', /"\."/],
    ['vweb//x.yaml', /empty or/],
    ['vweb/', /empty or/],
    ['vweb\\..\\x', /backslash/],
    ['vweb/x\u0000.yaml', /control character/],
    ['vweb/x\n.yaml', /control character/],
    ['a/'.repeat(600), /longer than/],
  ];
  it.each(refused)('refuses %j', (path, message) => {
    const result = parseWorkdirPath(path);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it.each(['vweb/update/vweb-v1-scale.yaml', 'a.yaml', '.hidden', 'dots..in.name', '한글.yaml'])(
    'accepts %j',
    (path) => {
      expect(parseWorkdirPath(path)).toEqual({ ok: true, path });
    },
  );

  const encoded: [string, boolean][] = [
    ['vweb/update/vweb-v1-scale.yaml', true],
    ['%ED%95%9C%EA%B8%80.yaml', true],
    ['%2e%2e/secret.txt', false],
    ['vweb/%2E%2E/%2E%2E/secret.txt', false],
    ['..%2f..%2fetc%2fpasswd', false],
    ['%2Fetc%2Fpasswd', false],
    ['vweb%5c..%5cx', false],
    ['x%00.yaml', false],
    ['%E0%A4%A.yaml', false],
  ];
  it.each(encoded)('decodes %j (accepted: %s)', (raw, ok) => {
    expect(decodeWorkdirPath(raw).ok).toBe(ok);
  });

  it('reads If-Match lists', () => {
    expect(parseEtagList('"a", W/"b"')).toEqual(['a', 'b']);
    expect(parseEtagList(' * ')).toBe('*');
    expect(parseEtagList(undefined)).toBeUndefined();
    expect(parseEtagList('nonsense')).toEqual([]);
  });
});

describe('workdir files on disk', () => {
  let base: string;
  let root: string;
  beforeEach(() => {
    ({ base, root } = makeWorkdir());
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  const codeOf = async (promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof WorkdirFileError) return error.code;
      throw error;
    }
    return 'ok';
  };

  it('lists folders and regular files, sorted, without symbolic links', async () => {
    const tree = await listWorkdir(root);
    expect(tree.truncated).toBe(false);
    expect(tree.entries.map((e) => `${e.kind[0]} ${e.path}`)).toEqual([
      'f big.yaml',
      'f binary.bin',
      'f latin1.txt',
      'd vweb',
      'f vweb/deployment.yaml',
      'd vweb/update',
      'f vweb/update/vweb-v1-scale.yaml',
    ]);
    expect(tree.entries.find((e) => e.path === 'vweb/deployment.yaml')?.size).toBe(MANIFEST.length);
  });

  it('reads a file with the hash of its bytes as the version', async () => {
    const file = await readWorkdirFile(root, 'vweb/update/vweb-v1-scale.yaml');
    expect(file).toEqual({
      path: 'vweb/update/vweb-v1-scale.yaml',
      content: MANIFEST,
      version: versionOf(Buffer.from(MANIFEST)),
      size: MANIFEST.length,
    });
  });

  const refusedReads: [string, string][] = [
    ['link-out.txt', 'outside'],
    ['dir-out/x.yaml', 'not-found'],
    ['../secret.txt', 'bad-path'],
    ['missing.yaml', 'not-found'],
    ['vweb', 'not-a-file'],
    ['binary.bin', 'not-text'],
    ['latin1.txt', 'not-text'],
    ['big.yaml', 'too-large'],
  ];
  it.each(refusedReads)('refuses to read %s (%s)', async (path, code) => {
    expect(await codeOf(readWorkdirFile(root, path))).toBe(code);
  });

  it('follows a symbolic link that stays inside', async () => {
    expect((await readWorkdirFile(root, 'link-in.yaml')).content).toBe(MANIFEST);
  });

  it('saves when the version matches and refuses when the file changed on disk since', async () => {
    const path = 'vweb/update/vweb-v1-scale.yaml';
    const opened = await readWorkdirFile(root, path);
    const edited = MANIFEST.replace('replicas: 3', 'replicas: 4');
    const saved = await writeWorkdirFile(root, path, edited, { kind: 'match', versions: [opened.version] });
    expect(saved.version).toBe(versionOf(Buffer.from(edited)));
    expect(readFileSync(join(root, path), 'utf8')).toBe(edited);

    // The learner runs sed in the terminal; the editor still holds the first version.
    writeFileSync(join(root, path), MANIFEST.replace('replicas: 3', 'replicas: 5'));
    expect(
      await codeOf(writeWorkdirFile(root, path, 'mine', { kind: 'match', versions: [saved.version] })),
    ).toBe('changed-on-disk');
    expect(readFileSync(join(root, path), 'utf8')).toContain('replicas: 5');
    // Overwriting on purpose works.
    await writeWorkdirFile(root, path, 'mine\n', { kind: 'exists' });
    expect(readFileSync(join(root, path), 'utf8')).toBe('mine\n');
  });

  it('creates a new file only where none exists, in an existing folder', async () => {
    await writeWorkdirFile(root, 'vweb/new.yaml', 'a: 1\n', { kind: 'absent' });
    expect(readFileSync(join(root, 'vweb/new.yaml'), 'utf8')).toBe('a: 1\n');
    expect(await codeOf(writeWorkdirFile(root, 'vweb/new.yaml', 'b', { kind: 'absent' }))).toBe('exists');
    expect(await codeOf(writeWorkdirFile(root, 'nofolder/x.yaml', 'b', { kind: 'absent' }))).toBe(
      'not-found',
    );
    expect(
      await codeOf(writeWorkdirFile(root, 'vweb/gone.yaml', 'b', { kind: 'match', versions: ['x'] })),
    ).toBe('changed-on-disk');
  });

  const refusedWrites: [string, string, string][] = [
    ['link-out.txt', 'x', 'not-a-file'],
    ['link-in.yaml', 'x', 'not-a-file'],
    ['dir-out/planted.yaml', 'x', 'outside'],
    ['/etc/x', 'x', 'bad-path'],
    ['vweb', 'x', 'not-a-file'],
    ['vweb/nul.yaml', 'a\u0000b', 'not-text'],
    ['vweb/huge.yaml', 'x'.repeat(MAX_EDITOR_FILE_BYTES + 1), 'too-large'],
  ];
  it.each(refusedWrites)('refuses to write %s (%s)', async (path, content, code) => {
    expect(await codeOf(writeWorkdirFile(root, path, content, { kind: 'exists' }))).toBe(code);
    expect(readFileSync(join(base, 'secret.txt'), 'utf8')).toBe('outside');
  });
});

/** An in-memory registry whose one session's workdir is a temporary folder. */
function registryFor(workdir: string) {
  const session: SandboxSession = {
    id: 'abc123',
    secret: randomBytes(16).toString('base64url'),
    namespace: 'rl-abc123',
    workdir,
    kubeconfig: 'apiVersion: v1\nkind: Config\n',
    kubeconfigPath: '/nowhere',
    createdAt: 0,
    lastSeenAt: 0,
  };
  return {
    session,
    registry: {
      size: 1,
      create: async () => session,
      get: (id: string) => (id === session.id ? session : undefined),
      authenticate: (id: string, secret: string) =>
        id === session.id && secret === session.secret ? session : undefined,
      touch: () => {},
      reset: async () => session,
      delete: async () => {},
      expireIdle: async () => [],
    },
  };
}

describe('files API over HTTP', () => {
  let base: string;
  let root: string;
  let server: SandboxServer;
  let token: string;
  beforeAll(async () => {
    ({ base, root } = makeWorkdir());
    const { session, registry } = registryFor(root);
    token = `${session.id}.${session.secret}`;
    server = await startSandboxServer({
      sessions: registry,
      terminals: new TerminalHub({
        createShell: async () => {
          throw new Error('no shells here');
        },
      }),
      backend: 'embedded',
      idleTimeoutMs: 3_600_000,
      expiryIntervalMs: 0,
      port: 0,
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(base, { recursive: true, force: true });
  });

  /** Sends a request with the path exactly as written (no URL normalisation). */
  const raw = (
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string; auth?: boolean } = {},
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> =>
    new Promise((resolve, reject) => {
      const url = new URL(server.url);
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: {
            ...(options.auth === false ? {} : { Authorization: `Bearer ${token}` }),
            ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...options.headers,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      request.on('error', reject);
      request.end(options.body);
    });

  const base_ = '/api/sessions/abc123/files';

  it('needs the session token', async () => {
    expect((await raw('GET', base_, { auth: false })).status).toBe(401);
    expect((await raw('GET', `${base_}/vweb/deployment.yaml`, { auth: false })).status).toBe(401);
    const other = await raw('GET', base_, { headers: { Authorization: 'Bearer abc123.wrong' } });
    expect(other.status).toBe(404);
  });

  it('lists the tree', async () => {
    const answer = await raw('GET', base_);
    expect(answer.status).toBe(200);
    const tree = WorkdirTree.parse(JSON.parse(answer.body));
    expect(tree.entries.map((e) => e.path)).toContain('vweb/update/vweb-v1-scale.yaml');
    expect(tree.entries.map((e) => e.path)).not.toContain('link-out.txt');
  });

  it('reads, saves with If-Match, answers 412 after a change on disk and 428 without a precondition', async () => {
    const path = `${base_}/vweb/update/vweb-v1-scale.yaml`;
    const got = await raw('GET', path);
    expect(got.status).toBe(200);
    const file = WorkdirFile.parse(JSON.parse(got.body));
    expect(got.headers.etag).toBe(`"${file.version}"`);
    expect(file.content).toBe(MANIFEST);

    const content = MANIFEST.replace('replicas: 3', 'replicas: 2');
    const put = await raw('PUT', path, {
      headers: { 'If-Match': got.headers.etag! },
      body: JSON.stringify({ content }),
    });
    expect(put.status).toBe(200);
    const saved = SavedFile.parse(JSON.parse(put.body));
    expect(readFileSync(join(root, 'vweb/update/vweb-v1-scale.yaml'), 'utf8')).toBe(content);

    writeFileSync(join(root, 'vweb/update/vweb-v1-scale.yaml'), 'changed by sed\n');
    const stale = await raw('PUT', path, {
      headers: { 'If-Match': `"${saved.version}"` },
      body: JSON.stringify({ content: 'mine' }),
    });
    expect(stale.status).toBe(412);
    const error = ApiErrorBody.parse(JSON.parse(stale.body));
    expect(error.error.code).toBe('precondition-failed');
    expect(error.error.message).toMatch(/changed on disk/);
    expect(error.error.hint).toMatch(/Reload .* or overwrite/);
    expect(readFileSync(join(root, 'vweb/update/vweb-v1-scale.yaml'), 'utf8')).toBe('changed by sed\n');

    const bare = await raw('PUT', path, { body: JSON.stringify({ content: 'mine' }) });
    expect(bare.status).toBe(428);
    expect(JSON.parse(bare.body).error.code).toBe('precondition-required');
  });

  const hostile: [string, number][] = [
    ['/%2e%2e/%2e%2e/secret.txt', 400],
    ['/..%2f..%2fsecret.txt', 400],
    ['/%2Fetc%2Fpasswd', 400],
    ['/vweb%5c..%5c..%5csecret.txt', 400],
    ['/link-out.txt', 400],
    ['/x%00.yaml', 400],
    ['/vweb', 400],
    ['/binary.bin', 415],
    ['/big.yaml', 413],
    ['/nothing.yaml', 404],
  ];
  it.each(hostile)('GET files%s answers %i with a message', async (suffix, status) => {
    const answer = await raw('GET', `${base_}${suffix}`);
    expect(answer.status).toBe(status);
    const error = ApiErrorBody.parse(JSON.parse(answer.body));
    expect(error.error.message.length).toBeGreaterThan(10);
  });

  it('refuses hostile writes and leaves the outside alone', async () => {
    for (const suffix of ['/%2e%2e/secret.txt', '/dir-out/planted.yaml', '/link-out.txt']) {
      const answer = await raw('PUT', `${base_}${suffix}`, {
        headers: { 'If-Match': '*' },
        body: JSON.stringify({ content: 'pwned' }),
      });
      expect(answer.status).toBe(400);
    }
    expect(readFileSync(join(base, 'secret.txt'), 'utf8')).toBe('outside');
  });

  it('refuses a body over the size limit and an unknown body field', async () => {
    const tooBig = await raw('PUT', `${base_}/vweb/deployment.yaml`, {
      headers: { 'If-Match': '*' },
      body: JSON.stringify({ content: 'y'.repeat(MAX_EDITOR_FILE_BYTES + 10) }),
    });
    expect(tooBig.status).toBe(413);
    const extra = await raw('PUT', `${base_}/vweb/deployment.yaml`, {
      headers: { 'If-Match': '*' },
      body: JSON.stringify({ content: 'a', mode: '0777' }),
    });
    expect(extra.status).toBe(400);
  });

  it('lists the routes in the index', async () => {
    const index = JSON.parse((await raw('GET', '/api', { auth: false })).body) as {
      routes: { path: string }[];
    };
    const paths = index.routes.map((r) => r.path);
    expect(paths).toContain('/api/sessions/:id/files');
    expect(paths).toContain('/api/sessions/:id/files/<path>');
    expect(paths).toContain('/api/sessions/:id/schema');
  });
});
