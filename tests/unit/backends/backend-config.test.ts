/**
 * Backend configuration from the environment, and createBackend picking the backend it names.
 */
import { describe, expect, it } from 'vitest';
import {
  type BackendConfig,
  BackendError,
  backendConfigFromEnv,
  createBackend,
  podsForSessions,
} from '../../../sandbox/backends/backend.ts';

describe('backendConfigFromEnv', () => {
  const cases: [string, NodeJS.ProcessEnv, BackendConfig][] = [
    [
      'nothing set: one embedded node sized for 200 sessions',
      {},
      { backend: 'embedded', timeScale: 1, nodes: 1, podsPerNode: 2400 },
    ],
    [
      'embedded with a time scale and a smaller cap',
      { SANDBOX_BACKEND: 'embedded', SANDBOX_TIME_SCALE: '10', SANDBOX_MAX_SESSIONS: '30' },
      { backend: 'embedded', timeScale: 10, nodes: 1, podsPerNode: 360 },
    ],
    [
      'embedded with explicit nodes and a listen address',
      {
        SANDBOX_NODES: '3',
        SANDBOX_PODS_PER_NODE: '110',
        SANDBOX_API_HOST: '0.0.0.0',
        SANDBOX_API_PORT: '6443',
      },
      { backend: 'embedded', timeScale: 1, nodes: 3, podsPerNode: 110, host: '0.0.0.0', port: 6443 },
    ],
    [
      'kind defaults',
      { SANDBOX_BACKEND: 'kind' },
      {
        backend: 'kind',
        clusterName: 'rollout-lab',
        nodes: 1,
        deleteOnStop: false,
        loadImages: true,
        waitSeconds: 60,
        dryRun: false,
      },
    ],
    [
      'kind, everything set',
      {
        SANDBOX_BACKEND: 'kind',
        KIND_CLUSTER_NAME: 'class-3',
        SANDBOX_NODES: '3',
        KIND_DELETE_ON_STOP: 'true',
        KIND_LOAD_IMAGES: '0',
        KIND_DRY_RUN: 'yes',
        KIND_NODE_IMAGE: 'kindest/node:v1.32.2',
      },
      {
        backend: 'kind',
        clusterName: 'class-3',
        nodes: 3,
        deleteOnStop: true,
        loadImages: false,
        waitSeconds: 60,
        dryRun: true,
        nodeImage: 'kindest/node:v1.32.2',
      },
    ],
    [
      'kubeconfig from KUBECONFIG_PATH',
      { SANDBOX_BACKEND: 'kubeconfig', KUBECONFIG_PATH: '/etc/class.yaml', SANDBOX_CONTEXT: 'class' },
      { backend: 'kubeconfig', path: '/etc/class.yaml', context: 'class' },
    ],
    [
      'kubeconfig from SANDBOX_KUBECONFIG, current context',
      { SANDBOX_BACKEND: 'kubeconfig', SANDBOX_KUBECONFIG: '/k' },
      { backend: 'kubeconfig', path: '/k' },
    ],
  ];
  it.each(cases)('%s', (_, env, expected) => {
    expect(backendConfigFromEnv(env)).toEqual(expected);
  });

  const errors: [NodeJS.ProcessEnv, RegExp][] = [
    [
      { SANDBOX_BACKEND: 'minikube' },
      /^SANDBOX_BACKEND is "minikube": set SANDBOX_BACKEND to embedded, kind, kubeconfig/,
    ],
    [{ SANDBOX_TIME_SCALE: '0' }, /^SANDBOX_TIME_SCALE is "0"/],
    [{ SANDBOX_TIME_SCALE: 'fast' }, /^SANDBOX_TIME_SCALE is "fast"/],
    [{ SANDBOX_NODES: '2.5' }, /^SANDBOX_NODES is "2.5": set SANDBOX_NODES to a whole number/],
    [{ SANDBOX_BACKEND: 'kind', KIND_CLUSTER_NAME: 'Rollout_Lab' }, /^KIND_CLUSTER_NAME is "Rollout_Lab"/],
    [
      { SANDBOX_BACKEND: 'kind', KIND_DELETE_ON_STOP: 'maybe' },
      /^KIND_DELETE_ON_STOP is "maybe": set KIND_DELETE_ON_STOP to 1 or 0/,
    ],
    [{ SANDBOX_BACKEND: 'kubeconfig' }, /needs a kubeconfig file: set KUBECONFIG_PATH=/],
  ];
  it.each(errors)('%j is refused', (env, message) => {
    expect(() => backendConfigFromEnv(env)).toThrow(BackendError);
    expect(() => backendConfigFromEnv(env)).toThrow(message);
  });
});

describe('podsForSessions', () => {
  it.each([
    [1, 110],
    [9, 110],
    [10, 120],
    [200, 2400],
  ])('%i sessions → a node of %i pods', (sessions, pods) => {
    expect(podsForSessions(sessions)).toBe(pods);
  });
});

describe('createBackend', () => {
  it.each([
    [{ backend: 'embedded', timeScale: 1, nodes: 1 }, 'embedded'],
    [{ backend: 'kubeconfig', path: '/k' }, 'kubeconfig'],
    [
      {
        backend: 'kind',
        clusterName: 'x',
        nodes: 1,
        deleteOnStop: false,
        loadImages: false,
        waitSeconds: 60,
        dryRun: true,
      },
      'kind',
    ],
  ] as [BackendConfig, string][])('%j → %s', (config, name) => {
    expect(createBackend(config).name).toBe(name);
  });

  it('starts and stops the embedded control plane', async () => {
    const backend = createBackend({ backend: 'embedded', timeScale: 5, nodes: 2 });
    const access = await backend.start();
    expect(access.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(access.timeScale).toBe(5);
    expect(access.adminKubeconfig).toContain(`server: ${access.server}`);
    expect(await backend.start()).toBe(access);
    await backend.stop();
  });
});
