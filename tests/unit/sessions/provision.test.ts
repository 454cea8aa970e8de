/**
 * The pure parts of provisioning: namespace names, token lifetimes, the session kubeconfig, what a
 * reset deletes.
 */
import { describe, expect, it } from 'vitest';
import { resolveKubeconfig } from '../../../sandbox/kube-client/kubeconfig.ts';
import {
  generateNamespaceName,
  RESET_STAGES,
  renderSessionKubeconfig,
  tokenSecondsFor,
} from '../../../sandbox/sessions/provision.ts';

describe('generateNamespaceName', () => {
  const sequence = (values: number[]) => {
    let i = 0;
    return () => values[i++ % values.length]!;
  };
  it.each([
    [[0], 'lab-bbbbbbbb'],
    [[0.999999], 'lab-99999999'],
    // 0.5 × 27 characters = 13.5 → index 13, which is 'r'.
    [[0, 0.5], 'lab-brbrbrbr'],
    [[1], 'lab-99999999'],
  ])('random %j → %s', (values, name) => {
    expect(generateNamespaceName(sequence(values))).toBe(name);
  });
  it('makes valid, varied DNS labels', () => {
    const names = new Set(Array.from({ length: 200 }, () => generateNamespaceName(Math.random)));
    for (const name of names) expect(name).toMatch(/^lab-[bcdfghjklmnpqrstvwxz2456789]{8}$/);
    expect(names.size).toBeGreaterThan(195);
  });
});

describe('tokenSecondsFor', () => {
  it.each([
    [60 * 60_000, 1, 7200],
    [60 * 60_000, 10, 72_000],
    [60 * 60_000, 50, 172_800],
    [5 * 60_000, 1, 3600],
    [1000, 20, 72_000],
    [180 * 60_000, 1, 21_600],
  ])('idle %i ms at time ×%i → %i s', (idle, scale, seconds) => {
    expect(tokenSecondsFor(idle, scale)).toBe(seconds);
  });
});

describe('renderSessionKubeconfig', () => {
  it('uses the admin’s cluster entry, the learner token and the session namespace', () => {
    const text = renderSessionKubeconfig(
      { server: 'https://127.0.0.1:6443', certificateAuthority: 'PEM', insecureSkipTlsVerify: false },
      'lab-bcdfghjk',
      'tok',
    );
    expect(resolveKubeconfig(text)).toEqual({
      contextName: 'rollout-lab',
      clusterName: 'rollout-lab',
      userName: 'learner',
      namespace: 'lab-bcdfghjk',
      cluster: {
        server: 'https://127.0.0.1:6443',
        certificateAuthority: 'PEM',
        insecureSkipTlsVerify: false,
      },
      user: { token: 'tok' },
    });
  });
});

describe('RESET_STAGES', () => {
  it('removes the controllers before their Pods and everything a learner can create', () => {
    const [controllers, rest] = RESET_STAGES;
    expect(controllers!.map((t) => t.plural)).toEqual(['deployments', 'statefulsets', 'daemonsets']);
    expect(rest!.map((t) => t.plural).sort()).toEqual(
      ['configmaps', 'events', 'persistentvolumeclaims', 'pods', 'replicasets', 'secrets', 'services'].sort(),
    );
    expect(rest!.find((t) => t.plural === 'configmaps')?.query?.fieldSelector).toBe(
      'metadata.name!=kube-root-ca.crt',
    );
  });
});
