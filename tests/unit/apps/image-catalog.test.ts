import { describe, expect, it } from 'vitest';
import { digestOf, findImage, lookupImage } from '../../../sandbox/cluster/apps/catalog.ts';
import {
  InvalidImageReferenceError,
  normalizeImageRef,
  pullPolicyOf,
} from '../../../sandbox/cluster/apps/image-ref.ts';
import {
  commandDurationMs,
  echoedLines,
  resolveContainerProcess,
} from '../../../sandbox/cluster/apps/process.ts';

describe('image references', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.17-alpine', 'docker.io/library/nginx:1.17-alpine'],
    ['kiamol/ch09-vweb:v1', 'docker.io/kiamol/ch09-vweb:v1'],
    ['docker.io/library/nginx:latest', 'docker.io/library/nginx:latest'],
    ['index.docker.io/kiamol/ch03-sleep', 'docker.io/kiamol/ch03-sleep:latest'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    [`nginx@sha256:${'a'.repeat(64)}`, `docker.io/library/nginx@sha256:${'a'.repeat(64)}`],
  ])('normalizes %s to %s', (input, expected) => {
    expect(normalizeImageRef(input)).toBe(expected);
  });

  it.each([['Kiamol/ch09-vweb:v1'], ['nginx:'], [' nginx'], ['nginx@sha256:xyz'], ['']])(
    'refuses %j as InvalidImageName would',
    (input) => {
      expect(() => normalizeImageRef(input)).toThrow(InvalidImageReferenceError);
    },
  );

  it.each([
    ['nginx', undefined, 'Always'],
    ['nginx:latest', undefined, 'Always'],
    ['nginx:1.17-alpine', undefined, 'IfNotPresent'],
    ['localhost:5000/app', undefined, 'Always'],
    ['nginx:1.17-alpine', 'Always', 'Always'],
    [`nginx@sha256:${'b'.repeat(64)}`, undefined, 'IfNotPresent'],
  ])('pull policy of %s (declared %s) is %s', (image, declared, expected) => {
    expect(pullPolicyOf(image, declared)).toBe(expected);
  });
});

describe('the image catalog', () => {
  it('knows the chapter versions of vweb: v1 and v2 serve their version, v3 exits 127', () => {
    const v1 = findImage('kiamol/ch09-vweb:v1')!;
    expect(v1.app).toBe('nginx');
    expect(v1.files['/usr/share/nginx/html/v.txt']).toBe('v1');
    expect(v1.files['/usr/share/nginx/html/index.html']).toContain('<h1>v1</h1>');
    expect(findImage('kiamol/ch09-vweb:v2')!.files['/usr/share/nginx/html/v.txt']).toBe('v2');
    const v3 = findImage('kiamol/ch09-vweb:v3')!;
    expect(v3.app).toBe('command-not-found');
    expect(v3.behaviour.process).toMatchObject({ kind: 'exit', exitCode: 127 });
  });

  it.each([
    ['nginx:1.17-alpine', 'nginx', '1.17.10'],
    ['nginx:1.18-alpine', 'nginx', '1.18.0'],
    ['nginx', 'nginx', '1.29.1'],
    ['nginx:alpine', 'nginx', '1.29.1'],
    ['nginx:1.25', 'nginx', '1.25.5'],
    ['postgres:11.6-alpine', 'postgres', '11.6'],
    ['postgres:11.8-alpine', 'postgres', '11.8'],
    ['postgres:16', 'postgres', '16.9'],
    ['kiamol/ch04-todo-list', 'todo-web', '3.1'],
    ['kiamol/ch03-sleep', 'sleep', '3.15'],
    ['busybox', 'shell', '1.37.0'],
    ['alpine:3.15', 'shell', '3.21.4'],
  ])('resolves %s to a %s image (version %s)', (reference, app, version) => {
    const image = findImage(reference)!;
    expect(image.app).toBe(app);
    expect(image.tag.version).toBe(version);
    expect(image.imageID).toBe(`${image.reference.split(':').slice(0, -1).join(':')}@${image.digest}`);
  });

  it('serves nginx releases the default welcome page', () => {
    expect(findImage('nginx:1.17-alpine')!.files['/usr/share/nginx/html/index.html']).toContain(
      'Welcome to nginx!',
    );
  });

  it('fails an unknown tag of a known repository with containerd NotFound', () => {
    expect(lookupImage('kiamol/ch09-vweb:v9')).toEqual({
      found: false,
      failure: {
        code: 'NotFound',
        message:
          'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/kiamol/ch09-vweb:v9": failed to resolve reference "docker.io/kiamol/ch09-vweb:v9": docker.io/kiamol/ch09-vweb:v9: not found',
      },
    });
  });

  it('fails an unknown repository with pull access denied', () => {
    const result = lookupImage('kiamol/ch99-nothing:v1');
    expect(result.found).toBe(false);
    if (!result.found) {
      expect(result.failure.code).toBe('Unknown');
      expect(result.failure.message).toContain(
        'pull access denied, repository does not exist or may require authorization',
      );
    }
  });

  it('finds an image by the digest it reports, and not by another', () => {
    const digest = digestOf('docker.io/library/nginx', '1.17-alpine');
    expect(findImage(`nginx@${digest}`)?.tag.version).toBe('1.17.10');
    expect(findImage(`nginx@sha256:${'c'.repeat(64)}`)).toBeUndefined();
  });
});

describe('container processes', () => {
  const timing = { initRunMs: [1000, 2000], commandRunMs: [200, 400] } as const;
  const process = (
    image: string,
    spec: { command?: string[]; args?: string[] },
    role: 'init' | 'app' = 'app',
  ) => resolveContainerProcess(findImage(image)!, spec, role, timing);

  it.each([
    ['kiamol/ch09-vweb:v1', {}, 'app', { kind: 'serve' }, [80]],
    ['kiamol/ch09-vweb:v3', {}, 'app', { kind: 'exit', exitCode: 127 }, []],
    ['kiamol/ch09-vweb:v3', { command: ['sleep', '3600'] }, 'app', { kind: 'exit', exitCode: 127 }, []],
    ['busybox', {}, 'app', { kind: 'exit', exitCode: 0 }, []],
    [
      'busybox',
      { command: ['sleep', '3600'] },
      'app',
      { kind: 'exit', exitCode: 0, runMs: [3_600_000, 3_600_000] },
      [],
    ],
    ['alpine', { command: ['sh', '-c', 'while true; do date; sleep 5; done'] }, 'app', { kind: 'sleep' }, []],
    ['kiamol/ch03-sleep', {}, 'app', { kind: 'sleep' }, []],
    ['postgres:11.6-alpine', { command: ['/scripts/startup.sh'] }, 'app', { kind: 'serve' }, [5432]],
    [
      'postgres:11.6-alpine',
      { command: ['/scripts/initialize-replication.sh'] },
      'init',
      { kind: 'exit', exitCode: 0, runMs: [1000, 2000] },
      [],
    ],
    [
      'kiamol/ch03-sleep',
      { command: ['/scripts/wait-service.sh'] },
      'init',
      { kind: 'exit', exitCode: 0, runMs: [1000, 2000] },
      [],
    ],
  ] as const)('%s %j as %s → %j listening on %j', (image, spec, role, run, ports) => {
    const resolved = process(image, spec as { command?: string[] }, role);
    expect(resolved.run).toMatchObject(run);
    expect(resolved.ports.map((p) => p.port)).toEqual(ports);
  });

  it('makes a sleeping shell ignore SIGTERM, so deleting it waits for the grace period', () => {
    expect(process('busybox', { command: ['sh', '-c', 'sleep infinity'] }).stop).toEqual({
      kind: 'ignores-sigterm',
    });
    expect(process('nginx:1.17-alpine', {}).stop).toMatchObject({ kind: 'graceful', exitCode: 0 });
  });

  it.each([
    ['echo hi', ['hi']],
    ['sh -c echo "starting up"; sleep 5', ['starting up']],
    ["sh -c echo -n 'a' && echo b", ['a', 'b']],
    ['sleep 5', []],
  ])('%j prints %j', (line, expected) => {
    expect(echoedLines(line)).toEqual(expected);
  });

  it('prints what an echo command says in the container log', () => {
    expect(process('busybox', { command: ['echo', 'hi'] }).run).toMatchObject({
      kind: 'exit',
      exitCode: 0,
      output: ['hi'],
    });
  });

  it.each([
    ['sleep 30', 30_000],
    ['sh -c sleep 2m', 120_000],
    ['sleep 1h', 3_600_000],
    ['sleep infinity', Number.POSITIVE_INFINITY],
    ['tail -f /dev/null', Number.POSITIVE_INFINITY],
    ['echo hello', undefined],
  ])('%j runs for %s ms', (line, expected) => {
    expect(commandDurationMs(line)).toBe(expected);
  });
});
