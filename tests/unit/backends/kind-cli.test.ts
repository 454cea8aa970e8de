/**
 * The kind CLI wrapper against the stand-in kind and docker: the commands it runs, what it reads
 * from their output, and the BackendError a learner sees when a program is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../../sandbox/backends/backend.ts';
import { createExecaHost, KindCli, quoteArgument } from '../../../sandbox/backends/kind/kind-cli.ts';
import { createKubeClient } from '../../../sandbox/kube-client/client.ts';
import { createBinDir, createFakeKind, type FakeKind } from './kind-harness.ts';

describe('KindCli against the stand-in kind', () => {
  let fake: FakeKind;
  let cli: KindCli;
  beforeAll(() => {
    fake = createFakeKind(['kiamol/ch09-vweb:v1']);
    cli = new KindCli(createExecaHost({ env: fake.env }));
  });
  afterAll(() => fake.cleanup());

  it('detects kind and a running docker', async () => {
    await cli.detect();
    expect(fake.invocations()).toEqual([
      { cmd: 'kind', args: ['version'] },
      { cmd: 'docker', args: ['version', '--format', '{{.Server.Version}}'] },
    ]);
  });

  it('lists no clusters at first (kind says so on stderr only)', async () => {
    expect(await cli.getClusters()).toEqual([]);
  });

  it('creates a cluster whose kubeconfig reaches a working API', async () => {
    fake.clearLog();
    const dir = fake.clusterDir('unit');
    await cli.createCluster('unit', `${import.meta.dirname}/kind-harness.ts`, 60, `${dir}-kubeconfig`);
    expect(fake.invocations()[0]?.args).toEqual([
      'create',
      'cluster',
      '--name',
      'unit',
      '--config',
      `${import.meta.dirname}/kind-harness.ts`,
      '--kubeconfig',
      `${dir}-kubeconfig`,
      '--wait',
      '60s',
    ]);
    expect(await cli.getClusters()).toEqual(['unit']);
    const client = createKubeClient(await cli.getKubeconfig('unit'));
    try {
      const version = await client.get<{ gitVersion: string }>('/version');
      expect(version.gitVersion).toMatch(/^v1\.32\./);
    } finally {
      client.close();
    }
  });

  it('refuses to create a cluster that exists, quoting kind', async () => {
    const error = await cli.createCluster('unit', '/dev/null', 60, '/dev/null').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toContain('kind could not create the cluster "unit"');
    expect((error as BackendError).message).toContain(
      'node(s) already exist for a cluster with the name "unit"',
    );
    expect((error as BackendError).hint).toContain('npm run kind:down');
  });

  it.each([
    ['kiamol/ch09-vweb:v1', true],
    ['kiamol/ch09-vweb:v2', false],
  ])('docker image inspect %s → present %s', async (image, present) => {
    expect(await cli.hostHasImage(image)).toBe(present);
  });

  it('loads a host image into the cluster', async () => {
    fake.clearLog();
    await cli.loadDockerImage('kiamol/ch09-vweb:v1', 'unit');
    expect(fake.invocations()).toEqual([
      { cmd: 'kind', args: ['load', 'docker-image', 'kiamol/ch09-vweb:v1', '--name', 'unit'] },
    ]);
  });

  it('reports a failed load with the command and kind’s last line', async () => {
    const error = await cli.loadDockerImage('nginx:1.17-alpine', 'unit').catch((e: unknown) => e);
    expect((error as BackendError).message).toContain(
      '`kind load docker-image nginx:1.17-alpine --name unit` exited with 1: ERROR: image: "nginx:1.17-alpine" not present locally',
    );
  });

  it('says which cluster has no kubeconfig', async () => {
    const error = await cli.getKubeconfig('missing').catch((e: unknown) => e);
    expect((error as BackendError).message).toContain('cannot read the kubeconfig of kind cluster "missing"');
  });

  it('deletes the cluster', async () => {
    await cli.deleteCluster('unit');
    expect(await cli.getClusters()).toEqual([]);
  });
});

describe('detect(): what is missing and what to do', () => {
  const cases: { name: string; tools: ('kind' | 'docker')[]; env?: NodeJS.ProcessEnv; message: RegExp[] }[] =
    [
      {
        name: 'kind missing',
        tools: ['docker'],
        message: [
          /^kind is not installed: install kind \(https:\/\/kind\.sigs\.k8s\.io/,
          /or use SANDBOX_BACKEND=embedded/,
        ],
      },
      {
        name: 'docker missing',
        tools: ['kind'],
        message: [
          /^docker is not installed: install Docker \(https:\/\/docs\.docker\.com/,
          /SANDBOX_BACKEND=embedded/,
        ],
      },
      {
        name: 'both missing',
        tools: [],
        message: [/^kind is not installed; docker is not installed: install kind .*, and install Docker/],
      },
      {
        name: 'docker daemon down',
        tools: ['kind', 'docker'],
        env: { FAKE_DOCKER_DAEMON: 'down' },
        message: [
          /Docker is installed but its daemon does not answer \(Cannot connect to the Docker daemon/,
          /start Docker/,
        ],
      },
    ];
  it.each(cases)('$name', async ({ tools, env, message }) => {
    const bin = createBinDir(tools);
    try {
      const cli = new KindCli(createExecaHost({ env: { PATH: bin.path, ...env } }));
      const error = await cli.detect().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendError);
      for (const pattern of message) expect((error as BackendError).message).toMatch(pattern);
      expect((error as BackendError).hint).toContain('SANDBOX_BACKEND=embedded');
    } finally {
      bin.remove();
    }
  });

  it('a command run while kind is missing says so too', async () => {
    const bin = createBinDir([]);
    try {
      const cli = new KindCli(createExecaHost({ env: { PATH: bin.path } }));
      await expect(cli.getClusters()).rejects.toThrow(/^kind is not installed: install it/);
    } finally {
      bin.remove();
    }
  });
});

describe('quoteArgument', () => {
  it.each([
    ['kiamol/ch09-vweb:v1', 'kiamol/ch09-vweb:v1'],
    ['{{.Server.Version}}', '{{.Server.Version}}'],
    ['60s', '60s'],
    ['two words', `'two words'`],
    [`it's`, `'it'\\''s'`],
    ['', `''`],
  ])('%j → %s', (arg, quoted) => {
    expect(quoteArgument(arg)).toBe(quoted);
  });
});
