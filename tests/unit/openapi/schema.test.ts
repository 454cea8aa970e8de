import { describe, expect, it } from 'vitest';
import {
  collectDefinitions,
  describeField,
  getKindSchema,
  INT_OR_STRING,
  listDefinitions,
  listKinds,
  QUANTITY,
  splitFieldPath,
  TIME,
} from '../../../sandbox/cluster/api/openapi/schema.ts';
import { ALL_RESOURCES } from '../../../sandbox/cluster/api/resources.ts';

describe('schema derived from client-node', () => {
  it.each(ALL_RESOURCES.map((r) => [`${r.group || 'core'}/${r.version} ${r.kind}`, r] as const))(
    '%s has an object schema tagged with its GVK',
    (_name, resource) => {
      const definition = getKindSchema(resource.group, resource.version, resource.kind);
      expect(definition?.shape).toBe('object');
      expect(definition?.gvk).toContainEqual({
        group: resource.group,
        version: resource.version,
        kind: resource.kind,
      });
      expect(definition?.fields.has('metadata')).toBe(true);
    },
  );

  it.each([
    ['apps', 'Deployment', 'io.k8s.api.apps.v1.Deployment'],
    ['', 'Pod', 'io.k8s.api.core.v1.Pod'],
    ['', 'Event', 'io.k8s.api.core.v1.Event'],
    ['events.k8s.io', 'Event', 'io.k8s.api.events.v1.Event'],
    ['rbac.authorization.k8s.io', 'ClusterRole', 'io.k8s.api.rbac.v1.ClusterRole'],
    ['autoscaling', 'Scale', 'io.k8s.api.autoscaling.v1.Scale'],
    ['authentication.k8s.io', 'TokenRequest', 'io.k8s.api.authentication.v1.TokenRequest'],
    ['', 'Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status'],
  ])('names %s %s like upstream: %s', (group, kind, name) => {
    expect(getKindSchema(group, 'v1', kind)?.name).toBe(name);
  });

  it('places shared types in their own packages, not in the first kind that reaches them', () => {
    const definitions = listDefinitions();
    expect(definitions.has('io.k8s.api.core.v1.PodTemplateSpec')).toBe(true);
    expect(definitions.has('io.k8s.api.apps.v1.PodTemplateSpec')).toBe(false);
    expect(definitions.has('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')).toBe(true);
    expect(definitions.has('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector')).toBe(true);
  });

  it('knows the fields a hand-written list tends to forget', () => {
    for (const path of [
      'spec.template.spec.terminationGracePeriodSeconds',
      'spec.template.spec.containers.resources.limits',
      'spec.template.spec.containers.readinessProbe.httpGet.port',
      'spec.template.spec.containers.startupProbe.grpc.port',
      'spec.minReadySeconds',
      'spec.progressDeadlineSeconds',
    ]) {
      expect(describeField('Deployment', path), path).toBeDefined();
    }
  });

  it('resolves every reference of every definition', () => {
    const all = collectDefinitions(listDefinitions().keys());
    expect(all.length).toBe(listDefinitions().size);
  });

  it('lists the served kinds and the subresource kinds', () => {
    expect(listKinds()).toContainEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(listKinds().length).toBeGreaterThan(ALL_RESOURCES.length);
  });
});

describe('describeField', () => {
  it.each([
    ['spec.template.spec.containers', 'name', 'merge'],
    ['spec.template.spec.containers[0].ports', 'containerPort', 'merge'],
    ['spec.template.spec.containers.env', 'name', 'merge'],
    ['spec.template.spec.containers.volumeMounts', 'mountPath', 'merge'],
    ['spec.template.spec.initContainers', 'name', 'merge'],
    ['spec.template.spec.volumes', 'name', 'merge,retainKeys'],
    ['spec.template.spec.imagePullSecrets', 'name', 'merge'],
    ['metadata.ownerReferences', 'uid', 'merge'],
    ['status.conditions', 'type', 'merge'],
    ['spec.strategy', undefined, 'retainKeys'],
    ['metadata.finalizers', undefined, 'merge'],
    ['spec.template.spec.tolerations', undefined, undefined],
  ])('Deployment %s merges by %j with %j', (path, mergeKey, strategy) => {
    const field = describeField({ group: 'apps', version: 'v1', kind: 'Deployment' }, path);
    expect(field).toBeDefined();
    expect(field?.patchMergeKey).toBe(mergeKey);
    expect(field?.patchStrategy).toBe(strategy);
  });

  it('merges Service ports by port, not containerPort', () => {
    expect(describeField('Service', 'spec.ports')?.patchMergeKey).toBe('port');
  });

  it.each([
    ['Deployment', 'spec.strategy.rollingUpdate.maxSurge', { type: 'ref', name: INT_OR_STRING }],
    ['Deployment', 'spec.strategy.rollingUpdate.maxUnavailable', { type: 'ref', name: INT_OR_STRING }],
    ['Service', 'spec.ports.targetPort', { type: 'ref', name: INT_OR_STRING }],
    ['Pod', 'spec.containers.livenessProbe.httpGet.port', { type: 'ref', name: INT_OR_STRING }],
    ['Pod', 'spec.containers.resources.limits', { type: 'map', values: { type: 'ref', name: QUANTITY } }],
    ['ResourceQuota', 'spec.hard', { type: 'map', values: { type: 'ref', name: QUANTITY } }],
    ['Pod', 'spec.volumes.emptyDir.sizeLimit', { type: 'ref', name: QUANTITY }],
    ['Pod', 'metadata.creationTimestamp', { type: 'ref', name: TIME }],
    ['Pod', 'metadata.labels', { type: 'map', values: { type: 'string' } }],
    ['Secret', 'data', { type: 'map', values: { type: 'string', format: 'byte' } }],
    ['Deployment', 'spec.replicas', { type: 'integer', format: 'int32' }],
    ['Pod', 'spec.terminationGracePeriodSeconds', { type: 'integer', format: 'int64' }],
  ])('%s %s has type %j', (kind, path, type) => {
    expect(describeField(kind, path)?.type).toEqual(type);
  });

  it('returns the element definition of a list and marks required fields', () => {
    const containers = describeField('Pod', 'spec.containers');
    expect(containers?.definition?.shortName).toBe('Container');
    expect(containers?.definition?.fields.get('name')?.required).toBe(true);
    expect(containers?.definition?.fields.get('image')?.required).toBe(false);
    expect(describeField('Deployment', 'spec.selector')?.required).toBe(true);
  });

  it('is undefined off the schema', () => {
    expect(describeField('Deployment', 'spec.replicass')).toBeUndefined();
    expect(describeField('NoSuchKind', 'spec')).toBeUndefined();
  });

  it('splits paths with list indexes', () => {
    expect(splitFieldPath('spec.containers[0].ports[12].name')).toEqual([
      'spec',
      'containers',
      'ports',
      'name',
    ]);
  });
});
