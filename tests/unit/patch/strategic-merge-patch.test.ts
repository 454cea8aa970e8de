import { describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '../../../sandbox/cluster/api/objects.ts';
import {
  applyStrategicMergePatch,
  createPatchMetaLookup,
  findLeftoverDirectives,
  type PatchError,
  type PatchMetaLookup,
} from '../../../sandbox/cluster/api/patch/index.ts';
import { KUBECTL_PATCHES, LAST_APPLIED, snapshot, todoWebDeployment, vwebDeployment } from './fixtures.ts';

const deploymentMeta = createPatchMetaLookup('Deployment');

// biome-ignore lint/suspicious/noExplicitAny: tests read deep into results.
type Loose = any;

function container(result: JsonObject, name = 'web'): Loose {
  return (result as Loose).spec.template.spec.containers.find((c: Loose) => c.name === name);
}

interface Case {
  name: string;
  target: JsonObject;
  patch: string;
  lookup?: PatchMetaLookup;
  expect: (result: Loose, target: Loose) => void;
}

const cases: Case[] = [
  {
    name: 'apply with replicas 2 → 3 changes replicas and the last-applied annotation only',
    target: vwebDeployment(),
    patch: KUBECTL_PATCHES.applyScale,
    expect: (result, target) => {
      expect(result.spec.replicas).toBe(3);
      expect(result.metadata.annotations[LAST_APPLIED]).toContain('"replicas":3');
      expect(result.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
      expect(result.spec.template).toEqual(target.spec.template);
      expect(result.status).toEqual(target.status);
    },
  },
  {
    name: 'apply --record with $setElementOrder/containers changes the image and keeps defaulted fields',
    target: vwebDeployment({ replicas: 3, version: 'v1.1' }),
    patch: KUBECTL_PATCHES.applyV2Record,
    expect: (result) => {
      expect(result.spec.template.metadata.labels).toEqual({ app: 'vweb', version: 'v2' });
      expect(result.spec.template.spec.containers).toHaveLength(1);
      expect(container(result)).toMatchObject({
        image: 'kiamol/ch09-vweb:v2',
        ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
      });
      expect(result.metadata.annotations['kubernetes.io/change-cause']).toBe(
        'kubectl apply --filename=vweb/update/vweb-v2.yaml --record=true',
      );
      expect(result.spec.template.spec).not.toHaveProperty('$setElementOrder/containers');
    },
  },
  {
    name: 'set image changes only the named container',
    target: vwebDeployment({ replicas: 3 }),
    patch: KUBECTL_PATCHES.setImage,
    expect: (result, target) => {
      expect(container(result)).toEqual({ ...container(target), image: 'kiamol/ch09-vweb:v2' });
    },
  },
  {
    name: 'apply switching to Recreate: $retainKeys clears the defaulted rollingUpdate',
    target: vwebDeployment({ replicas: 3, version: 'v2', image: 'kiamol/ch09-vweb:v2' }),
    patch: KUBECTL_PATCHES.applyRecreate,
    expect: (result) => {
      expect(result.spec.strategy).toEqual({ type: 'Recreate' });
      expect(result.spec.replicas).toBe(3);
    },
  },
  {
    name: 'apply switching to Recreate with rollingUpdate: null',
    target: vwebDeployment({
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    }),
    patch: KUBECTL_PATCHES.applyRecreateOverRollingUpdate,
    expect: (result) => expect(result.spec.strategy).toEqual({ type: 'Recreate' }),
  },
  {
    name: 'apply switching back to RollingUpdate with maxUnavailable 0 and maxSurge 1',
    target: vwebDeployment({ strategy: { type: 'Recreate' } }),
    patch: KUBECTL_PATCHES.applyRollingUpdate,
    expect: (result) =>
      expect(result.spec.strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
      }),
  },
  {
    name: 'a ConfigMap volume pointed at another ConfigMap keeps the defaulted mode',
    target: vwebDeployment({
      version: 'v3',
      volumes: [{ name: 'v-txt', configMap: { name: 'vweb-config', defaultMode: 420 } }],
      volumeMounts: [{ name: 'v-txt', mountPath: '/usr/share/nginx/html/', readOnly: true }],
    }),
    patch: KUBECTL_PATCHES.applyConfigMapV4,
    expect: (result) => {
      expect(result.spec.template.spec.volumes).toEqual([
        { name: 'v-txt', configMap: { name: 'vweb-config-v4', defaultMode: 420 } },
      ]);
      expect(result.spec.template.metadata.labels.version).toBe('v4');
    },
  },
  {
    name: 'a volume switched from a ConfigMap to a Secret under $retainKeys loses the configMap source',
    target: vwebDeployment({
      volumes: [{ name: 'v-txt', configMap: { name: 'vweb-config', defaultMode: 420 } }],
    }),
    patch:
      '{"spec":{"template":{"spec":{"volumes":[{"$retainKeys":["name","secret"],"name":"v-txt","secret":{"secretName":"s"}}]}}}}',
    expect: (result) =>
      expect(result.spec.template.spec.volumes).toEqual([{ name: 'v-txt', secret: { secretName: 's' } }]),
  },
  {
    name: 'apply removing a container port and an env var with $patch: delete',
    target: todoWebDeployment(),
    patch: KUBECTL_PATCHES.applyRemovePortAndEnv,
    expect: (result) => {
      expect(container(result).ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
      expect(container(result).env).toEqual([{ name: 'Logging__Level', value: 'Debug' }]);
      expect(container(result).volumeMounts).toHaveLength(1);
      expect(findLeftoverDirectives(result)).toEqual([]);
    },
  },
  {
    name: 'set env appends a variable to the container',
    target: todoWebDeployment(),
    patch: KUBECTL_PATCHES.setEnv,
    // A new element without $setElementOrder for its list goes first (the server's ordering rule).
    expect: (result) =>
      expect(container(result).env.map((e: Loose) => e.name)).toEqual([
        'A',
        'Database__ReadOnly',
        'Logging__Level',
      ]),
  },
  {
    name: 'rollout pause sets spec.paused',
    target: vwebDeployment(),
    patch: KUBECTL_PATCHES.rolloutPause,
    expect: (result) => expect(result.spec.paused).toBe(true),
  },
  {
    name: 'rollout resume deletes spec.paused with null',
    target: { ...vwebDeployment(), spec: { ...(vwebDeployment().spec as JsonObject), paused: true } },
    patch: KUBECTL_PATCHES.rolloutResume,
    expect: (result) => expect(result.spec).not.toHaveProperty('paused'),
  },
  {
    name: 'rollout restart adds the restartedAt annotation to the template',
    target: vwebDeployment(),
    patch: KUBECTL_PATCHES.rolloutRestart,
    expect: (result) =>
      expect(result.spec.template.metadata).toEqual({
        creationTimestamp: null,
        labels: { app: 'vweb', version: 'v1' },
        annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-27T16:04:18Z' },
      }),
  },
  {
    name: 'a null for a member the object lacks is dropped, not stored',
    target: vwebDeployment(),
    patch: '{"spec":{"template":{"spec":{"nodeSelector":{"disk":"ssd","zone":null}}}}}',
    expect: (result) => expect(result.spec.template.spec.nodeSelector).toEqual({ disk: 'ssd' }),
  },
  {
    name: 'a list without a merge strategy (tolerations) is replaced whole',
    target: {
      spec: {
        tolerations: [
          { key: 'a', operator: 'Exists' },
          { key: 'b', operator: 'Exists' },
        ],
      },
    },
    patch: '{"spec":{"tolerations":[{"key":"c","operator":"Exists"}]}}',
    lookup: createPatchMetaLookup('Pod'),
    expect: (result) => expect(result.spec.tolerations).toEqual([{ key: 'c', operator: 'Exists' }]),
  },
  {
    name: 'envFrom has no merge key and is replaced whole',
    target: { spec: { containers: [{ name: 'web', envFrom: [{ configMapRef: { name: 'a' } }] }] } },
    patch: '{"spec":{"containers":[{"name":"web","envFrom":[{"secretRef":{"name":"b"}}]}]}}',
    lookup: createPatchMetaLookup('Pod'),
    expect: (result) => expect(result.spec.containers[0].envFrom).toEqual([{ secretRef: { name: 'b' } }]),
  },
  {
    name: '$patch: delete in a list without merge key stays in the result, as the server leaves it',
    target: { spec: { tolerations: [{ key: 'a', operator: 'Exists' }] } },
    patch: '{"spec":{"tolerations":[{"$patch":"delete","key":"a"}]}}',
    lookup: createPatchMetaLookup('Pod'),
    expect: (result) => {
      expect(result.spec.tolerations).toEqual([{ $patch: 'delete', key: 'a' }]);
      // The server's strict decoder then reports it as an unknown field.
      expect(findLeftoverDirectives(result)).toEqual(['spec.tolerations[0].$patch']);
    },
  },
  {
    name: '$patch: replace in a map replaces it',
    target: vwebDeployment(),
    patch: '{"spec":{"selector":{"$patch":"replace","matchLabels":{"app":"web"}}}}',
    expect: (result) => expect(result.spec.selector).toEqual({ matchLabels: { app: 'web' } }),
  },
  {
    name: '$patch: delete in a map leaves it empty',
    target: vwebDeployment(),
    patch: '{"spec":{"template":{"metadata":{"labels":{"$patch":"delete"}}}}}',
    expect: (result) => expect(result.spec.template.metadata.labels).toEqual({}),
  },
  {
    name: '$patch: replace in a merging list makes the patch elements the whole list',
    target: todoWebDeployment(),
    patch:
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"$patch":"replace"},{"name":"X","value":"1"}]}]}}}}',
    expect: (result) => expect(container(result).env).toEqual([{ name: 'X', value: '1' }]),
  },
  {
    name: 'finalizers merge as a set and $deleteFromPrimitiveList removes values',
    target: { metadata: { name: 'x', finalizers: ['a', 'b'] } },
    patch: '{"metadata":{"finalizers":["c","a"],"$deleteFromPrimitiveList/finalizers":["b"]}}',
    lookup: createPatchMetaLookup('ConfigMap'),
    expect: (result) => expect(result.metadata.finalizers).toEqual(['c', 'a']),
  },
  {
    name: '$setElementOrder/finalizers orders a primitive list',
    target: { metadata: { finalizers: ['a', 'b', 'c'] } },
    patch: '{"metadata":{"$setElementOrder/finalizers":["c","a","b"]}}',
    lookup: createPatchMetaLookup('ConfigMap'),
    expect: (result) => expect(result.metadata.finalizers).toEqual(['c', 'a', 'b']),
  },
  {
    name: 'ownerReferences merge by uid',
    target: { metadata: { ownerReferences: [{ uid: '1', name: 'a', kind: 'ReplicaSet' }] } },
    patch: '{"metadata":{"ownerReferences":[{"uid":"1","controller":true},{"uid":"2","name":"b"}]}}',
    lookup: createPatchMetaLookup('Pod'),
    expect: (result) =>
      expect(result.metadata.ownerReferences).toEqual([
        { uid: '1', controller: true, name: 'a', kind: 'ReplicaSet' },
        { uid: '2', name: 'b' },
      ]),
  },
  {
    name: 'Service ports merge by port',
    target: {
      spec: { ports: [{ port: 8090, targetPort: 'http', protocol: 'TCP' }], selector: { app: 'vweb' } },
    },
    patch: '{"spec":{"ports":[{"port":8090,"nodePort":30090}],"selector":{"app":"vweb","version":"v2"}}}',
    lookup: createPatchMetaLookup('Service'),
    expect: (result) => {
      expect(result.spec.ports).toEqual([
        { port: 8090, nodePort: 30090, targetPort: 'http', protocol: 'TCP' },
      ]);
      expect(result.spec.selector).toEqual({ app: 'vweb', version: 'v2' });
    },
  },
  {
    name: 'status conditions merge by type',
    target: vwebDeployment(),
    patch:
      '{"status":{"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}}',
    expect: (result) =>
      expect(result.status.conditions).toEqual([
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
      ]),
  },
];

describe('applyStrategicMergePatch with the patches kubectl sends', () => {
  it.each(cases)('$name', ({ target, patch, lookup, expect: check }) => {
    const body = JSON.parse(patch) as Json;
    const before = [snapshot(target), snapshot(body)];
    const result = applyStrategicMergePatch(target, body, lookup ?? deploymentMeta);
    check(result, target);
    expect([snapshot(target), snapshot(body)]).toEqual(before);
  });
});

/** A lookup for a bare `items` list merged by `name`. */
const itemsByName: PatchMetaLookup = (path) =>
  path.join('.') === 'items' ? { mergeKey: 'name', strategies: ['merge'] } : undefined;
const names = (result: JsonObject) => ((result as Loose).items as Loose[]).map((item) => item.name);

describe('order of merged lists (as the server computes it)', () => {
  it.each([
    {
      name: 'patch elements keep patch order; a server-only element leads an element it preceded',
      original: ['a', 's', 'b'],
      patch: '{"items":[{"name":"b"},{"name":"a"}]}',
      expected: ['s', 'b', 'a'],
    },
    {
      name: 'a new element without $setElementOrder goes before the server-only ones',
      original: ['a', 's', 'b'],
      patch: '{"items":[{"name":"c"}]}',
      expected: ['c', 'a', 's', 'b'],
    },
    {
      name: '$setElementOrder places listed elements, server-only elements keep their neighbours',
      original: ['1', '2', '9', '3', '4'],
      patch: '{"$setElementOrder/items":[{"name":"2"},{"name":"1"},{"name":"4"},{"name":"3"}]}',
      expected: ['2', '1', '9', '4', '3'],
    },
    {
      // Go reuses the original list's memory while deleting b and appending d; the old view then
      // reads [a s d], which moves the server-only s before d.
      name: 'deleting and adding in one patch reproduces the server reusing the list memory',
      original: ['a', 'b', 's'],
      patch:
        '{"$setElementOrder/items":[{"name":"a"},{"name":"d"}],"items":[{"name":"d"},{"$patch":"delete","name":"b"}]}',
      expected: ['a', 's', 'd'],
    },
  ])('$name', ({ original, patch, expected }) => {
    const result = applyStrategicMergePatch(
      { items: original.map((name) => ({ name })) },
      JSON.parse(patch),
      itemsByName,
    );
    expect(names(result)).toEqual(expected);
  });
});

describe('strategic merge patch errors carry the server status', () => {
  it.each([
    {
      name: 'a patch that is not an object',
      patch: '[{"op":"replace"}]',
      code: 400,
      reason: 'BadRequest',
      message: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
    },
    {
      name: '$patch: delete on a list element without its merge key',
      patch: '{"spec":{"template":{"spec":{"containers":[{"$patch":"delete"}]}}}}',
      code: 500,
      reason: '',
      message: 'map: map[$patch:delete] does not contain declared merge key: name',
    },
    {
      name: 'an element of a merging list without its merge key',
      patch: '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}',
      code: 500,
      reason: '',
      message: 'map: map[image:x] does not contain declared merge key: name',
    },
    {
      name: '$patch: merge in a map, which the server never implemented',
      patch: '{"spec":{"strategy":{"$patch":"merge","type":"Recreate"}}}',
      code: 500,
      reason: '',
      message: 'unknown patch type: merge in map: map[$patch:merge type:Recreate]',
    },
    {
      name: '$patch: merge in a list',
      patch: '{"spec":{"template":{"spec":{"containers":[{"$patch":"merge"}]}}}}',
      code: 500,
      reason: '',
      message: 'merging lists cannot yet be specified in the patch',
    },
    {
      name: 'a member set outside $retainKeys',
      patch:
        '{"spec":{"strategy":{"$retainKeys":["type"],"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}',
      code: 400,
      reason: 'BadRequest',
      message: 'invalid patch format of retainKeys',
    },
    {
      name: '$setElementOrder without a field name',
      patch: '{"spec":{"$setElementOrder":[]}}',
      code: 400,
      reason: 'BadRequest',
      message: 'invalid patch format of setElementOrder list',
    },
    {
      name: '$deleteFromPrimitiveList without a field name',
      patch: '{"metadata":{"$deleteFromPrimitiveList":["a"]}}',
      code: 400,
      reason: 'BadRequest',
      message: 'invalid patch format of primitive list',
    },
    {
      name: 'a patch list out of $setElementOrder order',
      patch:
        '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"side"}],"containers":[{"name":"side"},{"name":"web"}]}}}}',
      code: 500,
      reason: '',
      message:
        "The order in patch list:\n[map[name:side] map[name:web]]\n doesn't match $setElementOrder list:\n[map[name:web] map[name:side]]\n",
    },
  ])('$name → $code', ({ patch, code, reason, message }) => {
    let caught: PatchError | undefined;
    try {
      applyStrategicMergePatch(vwebDeployment(), JSON.parse(patch), deploymentMeta);
    } catch (error) {
      caught = error as PatchError;
    }
    expect(caught?.status).toMatchObject({ kind: 'Status', status: 'Failure', code, reason, message });
  });

  it('lists of lists answer 422 with the generic text and keep the cause', () => {
    const lookup: PatchMetaLookup = () => ({ strategies: ['merge'] });
    let caught: PatchError | undefined;
    try {
      applyStrategicMergePatch({ grid: [[1]] }, { grid: [[2]] }, lookup);
    } catch (error) {
      caught = error as PatchError;
    }
    expect(caught?.code).toBe(422);
    expect(caught?.message).toBe('the server rejected our request due to an error in our request');
    expect(caught?.detail).toBe('lists of lists are not supported');
  });

  it('a null patch changes nothing', () => {
    const target = vwebDeployment();
    expect(applyStrategicMergePatch(target, null, deploymentMeta)).toEqual(target);
  });
});
