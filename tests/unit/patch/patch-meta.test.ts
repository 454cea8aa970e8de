import { describe, expect, it } from 'vitest';
import { createPatchMetaLookup, KINDS_WITH_PATCH_META } from '../../../sandbox/cluster/api/patch/index.ts';

const byName = { mergeKey: 'name', strategies: ['merge'] };

describe('createPatchMetaLookup', () => {
  it.each<{ kind: string; path: string; expected: unknown }>([
    { kind: 'Deployment', path: 'spec.template.spec.containers', expected: byName },
    { kind: 'Deployment', path: 'spec.template.spec.initContainers', expected: byName },
    {
      kind: 'Deployment',
      path: 'spec.template.spec.containers.ports',
      expected: { mergeKey: 'containerPort', strategies: ['merge'] },
    },
    { kind: 'Deployment', path: 'spec.template.spec.containers.env', expected: byName },
    {
      kind: 'Deployment',
      path: 'spec.template.spec.initContainers.volumeMounts',
      expected: { mergeKey: 'mountPath', strategies: ['merge'] },
    },
    {
      kind: 'Deployment',
      path: 'spec.template.spec.containers.volumeDevices',
      expected: { mergeKey: 'devicePath', strategies: ['merge'] },
    },
    { kind: 'Deployment', path: 'spec.template.spec.containers.envFrom', expected: { strategies: [] } },
    {
      kind: 'Deployment',
      path: 'spec.template.spec.volumes',
      expected: { mergeKey: 'name', strategies: ['merge', 'retainKeys'] },
    },
    { kind: 'Deployment', path: 'spec.template.spec.imagePullSecrets', expected: byName },
    {
      kind: 'Deployment',
      path: 'spec.template.spec.hostAliases',
      expected: { mergeKey: 'ip', strategies: ['merge'] },
    },
    { kind: 'Deployment', path: 'spec.template.spec.tolerations', expected: { strategies: [] } },
    { kind: 'Deployment', path: 'spec.strategy', expected: { strategies: ['retainKeys'] } },
    { kind: 'Deployment', path: 'spec.template.metadata.finalizers', expected: { strategies: ['merge'] } },
    { kind: 'Deployment', path: 'status.conditions', expected: { mergeKey: 'type', strategies: ['merge'] } },
    { kind: 'ReplicaSet', path: 'spec.template.spec.containers', expected: byName },
    {
      kind: 'StatefulSet',
      path: 'spec.template.spec.containers.ports',
      expected: { mergeKey: 'containerPort', strategies: ['merge'] },
    },
    {
      kind: 'DaemonSet',
      path: 'spec.template.spec.volumes',
      expected: { mergeKey: 'name', strategies: ['merge', 'retainKeys'] },
    },
    // Upstream gives DaemonSet and StatefulSet update strategies no retainKeys tag.
    { kind: 'DaemonSet', path: 'spec.updateStrategy', expected: undefined },
    { kind: 'StatefulSet', path: 'spec.updateStrategy', expected: undefined },
    { kind: 'Pod', path: 'spec.containers', expected: byName },
    {
      kind: 'Pod',
      path: 'spec.containers.ports',
      expected: { mergeKey: 'containerPort', strategies: ['merge'] },
    },
    { kind: 'Pod', path: 'status.conditions', expected: { mergeKey: 'type', strategies: ['merge'] } },
    { kind: 'Pod', path: 'spec.template.spec.containers', expected: undefined },
    { kind: 'PodTemplate', path: 'template.spec.containers', expected: byName },
    { kind: 'CronJob', path: 'spec.jobTemplate.spec.template.spec.containers', expected: byName },
    { kind: 'Service', path: 'spec.ports', expected: { mergeKey: 'port', strategies: ['merge'] } },
    { kind: 'ServiceAccount', path: 'secrets', expected: byName },
    {
      kind: 'ConfigMap',
      path: 'metadata.ownerReferences',
      expected: { mergeKey: 'uid', strategies: ['merge'] },
    },
    { kind: 'ConfigMap', path: 'metadata.finalizers', expected: { strategies: ['merge'] } },
    { kind: 'ConfigMap', path: 'data', expected: undefined },
    { kind: 'NoSuchKind', path: 'metadata.finalizers', expected: { strategies: ['merge'] } },
    { kind: 'NoSuchKind', path: 'spec.containers', expected: undefined },
  ])('$kind $path', ({ kind, path, expected }) => {
    expect(createPatchMetaLookup(kind)(path.split('.'))).toEqual(expected);
  });

  it('a label key containing dots is not mistaken for a field path', () => {
    const lookup = createPatchMetaLookup('Deployment');
    expect(lookup(['metadata', 'labels', 'spec.template.spec.containers'])).toBeUndefined();
    expect(lookup(['spec.template.spec.containers'])).toBeUndefined();
  });

  it('covers the chapter kinds', () => {
    for (const kind of ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Pod', 'Service']) {
      expect(KINDS_WITH_PATCH_META).toContain(kind);
    }
  });
});
