import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../sandbox/cluster/api/defaults/index.ts';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { formatFieldError, validateObject } from '../../../sandbox/cluster/api/validation/index.ts';
import {
  sessionObjects,
  todoDb,
  todoProxy,
  todoWeb,
  vwebDeployment,
  vwebRollingUpdateV3,
  vwebService,
  vwebWithConfigMap,
} from './ch09-manifests.ts';

// biome-ignore lint/suspicious/noExplicitAny: test mutators poke at untyped manifest JSON.
type Mutator = (object: any) => void;

/** Defaults then validates, as the API server does on create; returns the printed errors. */
function createErrors(object: KubeObject, mutate: Mutator = () => {}): string[] {
  const copy = structuredClone(object);
  mutate(copy);
  return validateObject(copy.kind, applyDefaults(copy.kind, copy)).map(formatFieldError);
}

/** Validates an update of the stored (defaulted) object; `mutate` edits the new version. */
function updateErrors(object: KubeObject, mutate: Mutator): string[] {
  const stored = applyDefaults(object.kind, object);
  stored.metadata = {
    ...stored.metadata,
    uid: 'b1f0c2d4',
    resourceVersion: '42',
    creationTimestamp: '2025-01-01T00:00:00Z',
  };
  const next = structuredClone(stored);
  mutate(next);
  return validateObject(next.kind, applyDefaults(next.kind, next), stored).map(formatFieldError);
}

function byKind(objects: KubeObject[], kind: string): KubeObject {
  const found = objects.find((object) => object.kind === kind);
  if (!found) throw new Error(`no ${kind} in fixture`);
  return found;
}

const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_RULE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED_NAME_RULE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const CONTAINER = 'spec.template.spec.containers[0]';

describe('validateObject accepts the chapter 9 manifests', () => {
  const manifests: [string, KubeObject][] = [
    ['vweb Deployment', vwebDeployment()],
    ['vweb LoadBalancer Service', vwebService()],
    ['rollingUpdate v3 Deployment', vwebRollingUpdateV3()],
    ...vwebWithConfigMap().map((object): [string, KubeObject] => [
      `v3 with ConfigMap: ${object.kind}`,
      object,
    ]),
    ...todoDb().map((object): [string, KubeObject] => [`todo-db ${object.kind}`, object]),
    ...todoWeb().map((object): [string, KubeObject] => [`todo-web ${object.kind}`, object]),
    ...todoProxy().map((object): [string, KubeObject] => [`todo-proxy ${object.kind}`, object]),
    ...sessionObjects().map((object): [string, KubeObject] => [`session ${object.kind}`, object]),
  ];
  it.each(manifests)('%s has no errors after defaulting', (_name, object) => {
    expect(createErrors(object)).toEqual([]);
  });

  it('accepts a realistic update: set image and scale a Deployment', () => {
    expect(
      updateErrors(vwebDeployment(), (deployment) => {
        deployment.spec.replicas = 3;
        deployment.spec.template.spec.containers[0].image = 'kiamol/ch09-vweb:v2';
      }),
    ).toEqual([]);
  });

  it('accepts a StatefulSet update of template, replicas and partition', () => {
    expect(
      updateErrors(byKind(todoDb(), 'StatefulSet'), (statefulSet) => {
        statefulSet.spec.replicas = 3;
        statefulSet.spec.template.spec.containers[0].image = 'postgres:11.8-alpine';
        statefulSet.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
      }),
    ).toEqual([]);
  });

  it('accepts a Service update that leaves out the allocated cluster IP', () => {
    const service = vwebService();
    service.spec.clusterIP = '10.96.12.7';
    expect(
      updateErrors(service, (next) => {
        delete next.spec.clusterIP;
        delete next.spec.clusterIPs;
        next.spec.selector = { app: 'vweb', version: 'v2' };
      }),
    ).toEqual([]);
  });
});

describe('metadata rules', () => {
  it.each<[string, Mutator, string[]]>([
    [
      'an upper-case name',
      (d) => (d.metadata.name = 'Vweb'),
      [`metadata.name: Invalid value: "Vweb": ${SUBDOMAIN_RULE}`],
    ],
    [
      'a missing name',
      (d) => delete d.metadata.name,
      ['metadata.name: Required value: name or generateName is required'],
    ],
    [
      'an invalid generateName',
      (d) => (d.metadata.generateName = 'Web-'),
      [`metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_RULE}`],
    ],
    ['a valid generateName ending in a dash', (d) => (d.metadata.generateName = 'vweb-'), []],
    ['a missing namespace', (d) => delete d.metadata.namespace, ['metadata.namespace: Required value']],
    [
      'a label key with a space',
      (d) => (d.metadata.labels = { 'my key': 'x' }),
      [`metadata.labels: Invalid value: "my key": ${QUALIFIED_NAME_RULE}`],
    ],
    [
      'a label value starting with a dash',
      (d) => (d.metadata.labels = { tier: '-web' }),
      [
        "metadata.labels: Invalid value: \"-web\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    ],
    [
      'a label value over 63 characters',
      (d) => (d.metadata.labels = { tier: 'a'.repeat(64) }),
      [`metadata.labels: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
    ],
    [
      'a label key with an empty prefix',
      (d) => (d.metadata.labels = { '/app': 'x' }),
      ['metadata.labels: Invalid value: "/app": prefix part must be non-empty'],
    ],
    [
      'an annotation key with a space',
      (d) => (d.metadata.annotations = { 'kubernetes.io/change cause': 'x' }),
      [`metadata.annotations: Invalid value: "kubernetes.io/change cause": ${QUALIFIED_NAME_RULE}`],
    ],
    [
      'annotations over 256 KiB',
      (d) => (d.metadata.annotations = { big: 'x'.repeat(262_144) }),
      ['metadata.annotations: Too long: may not be more than 262144 bytes'],
    ],
    [
      'an unqualified custom finalizer',
      (d) => (d.metadata.finalizers = ['cleanup']),
      [
        'metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
      ],
    ],
  ])('%s', (_name, mutate, expected) => {
    expect(createErrors(vwebDeployment(), mutate)).toEqual(expected);
  });

  it('rejects renaming and changing the uid on update', () => {
    expect(
      updateErrors(vwebDeployment(), (d) => {
        d.metadata.name = 'vweb2';
        d.metadata.uid = 'other';
      }),
    ).toEqual([
      'metadata.name: Invalid value: "vweb2": field is immutable',
      'metadata.uid: Invalid value: "other": field is immutable',
    ]);
  });
});

describe('Deployment rules', () => {
  it.each<[string, Mutator, string[]]>([
    [
      'negative replicas',
      (d) => (d.spec.replicas = -1),
      ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'no selector',
      (d) => delete d.spec.selector,
      [
        'spec.selector: Required value',
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"vweb", "version":"v1"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'an empty selector',
      (d) => (d.spec.selector = {}),
      [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
      ],
    ],
    [
      'a selector that does not match the template',
      (d) => (d.spec.template.metadata.labels = { app: 'web' }),
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'a template without labels',
      (d) => delete d.spec.template.metadata.labels,
      [
        'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
      ],
    ],
    [
      'a matchExpressions selector the template satisfies',
      (d) =>
        (d.spec.selector = { matchExpressions: [{ key: 'version', operator: 'In', values: ['v1', 'v2'] }] }),
      [],
    ],
    [
      'an unknown selector operator',
      (d) => (d.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['vweb'] }] }),
      [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator',
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Equals", Values:[]string{"vweb"}}}}: invalid label selector',
      ],
    ],
    [
      'no containers',
      (d) => (d.spec.template.spec.containers = []),
      ['spec.template.spec.containers: Required value'],
    ],
    [
      'a container without image',
      (d) => delete d.spec.template.spec.containers[0].image,
      [`${CONTAINER}.image: Required value`],
    ],
    [
      'a container without name',
      (d) => delete d.spec.template.spec.containers[0].name,
      [`${CONTAINER}.name: Required value`],
    ],
    [
      'an upper-case container name',
      (d) => (d.spec.template.spec.containers[0].name = 'Web'),
      [`${CONTAINER}.name: Invalid value: "Web": ${LABEL_RULE}`],
    ],
    [
      'two containers with one name',
      (d) => d.spec.template.spec.containers.push({ name: 'web', image: 'kiamol/ch03-sleep' }),
      ['spec.template.spec.containers[1].name: Duplicate value: "web"'],
    ],
    [
      'a container port out of range',
      (d) => (d.spec.template.spec.containers[0].ports[0].containerPort = 70000),
      [`${CONTAINER}.ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive`],
    ],
    [
      'a container port of zero',
      (d) => (d.spec.template.spec.containers[0].ports[0].containerPort = 0),
      [`${CONTAINER}.ports[0].containerPort: Required value`],
    ],
    [
      'duplicate port names',
      (d) => d.spec.template.spec.containers[0].ports.push({ name: 'http', containerPort: 8080 }),
      [`${CONTAINER}.ports[1].name: Duplicate value: "http"`],
    ],
    [
      'an upper-case port name',
      (d) => (d.spec.template.spec.containers[0].ports[0].name = 'HTTP'),
      [
        `${CONTAINER}.ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
        `${CONTAINER}.ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)`,
      ],
    ],
    [
      'a port name over 15 characters',
      (d) => (d.spec.template.spec.containers[0].ports[0].name = 'http-web-server-1'),
      [`${CONTAINER}.ports[0].name: Invalid value: "http-web-server-1": must be no more than 15 characters`],
    ],
    [
      'an unknown protocol',
      (d) => (d.spec.template.spec.containers[0].ports[0].protocol = 'HTTP'),
      [`${CONTAINER}.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`],
    ],
    [
      'two containers on one host port',
      (d) => {
        d.spec.template.spec.containers[0].ports[0].hostPort = 8080;
        d.spec.template.spec.containers.push({
          name: 'side',
          image: 'nginx:1.17-alpine',
          ports: [{ containerPort: 81, hostPort: 8080 }],
        });
      },
      ['spec.template.spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
    ],
    [
      'restartPolicy Never',
      (d) => (d.spec.template.spec.restartPolicy = 'Never'),
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      'restartPolicy Sometimes',
      (d) => (d.spec.template.spec.restartPolicy = 'Sometimes'),
      [
        'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always"',
      ],
    ],
    [
      'activeDeadlineSeconds in a template',
      (d) => (d.spec.template.spec.activeDeadlineSeconds = 60),
      [
        'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
      ],
    ],
    [
      'maxSurge and maxUnavailable both 0',
      (d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }),
      [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
      ],
    ],
    [
      'maxSurge and maxUnavailable both 0%',
      (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: '0%', maxUnavailable: '0%' } }),
      [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0',
      ],
    ],
    [
      'maxUnavailable over 100%',
      (d) => (d.spec.strategy = { rollingUpdate: { maxUnavailable: '120%' } }),
      [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%',
      ],
    ],
    ['maxSurge over 100% (allowed)', (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: '200%' } }), []],
    [
      'a malformed percentage',
      (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: 'half' } }),
      [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"half\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ],
    ],
    [
      'a negative maxUnavailable',
      (d) => (d.spec.strategy = { rollingUpdate: { maxUnavailable: -1 } }),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'rollingUpdate with Recreate',
      (d) => (d.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }),
      ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ],
    ['Recreate alone', (d) => (d.spec.strategy = { type: 'Recreate' }), []],
    [
      'an unknown strategy type',
      (d) => (d.spec.strategy = { type: 'BlueGreen' }),
      [
        'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
      ],
    ],
    [
      'progressDeadlineSeconds not above minReadySeconds',
      (d) => {
        d.spec.minReadySeconds = 60;
        d.spec.progressDeadlineSeconds = 60;
      },
      ['spec.progressDeadlineSeconds: Invalid value: 60: must be greater than minReadySeconds'],
    ],
    [
      'minReadySeconds above the default deadline',
      (d) => (d.spec.minReadySeconds = 700),
      ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds'],
    ],
    [
      'negative minReadySeconds',
      (d) => (d.spec.minReadySeconds = -5),
      ['spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0'],
    ],
    [
      'negative revisionHistoryLimit',
      (d) => (d.spec.revisionHistoryLimit = -1),
      ['spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'an unknown imagePullPolicy',
      (d) => (d.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes'),
      [
        `${CONTAINER}.imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"`,
      ],
    ],
    [
      'a mount of a volume that does not exist',
      (d) => (d.spec.template.spec.containers[0].volumeMounts = [{ name: 'config', mountPath: '/conf' }]),
      [`${CONTAINER}.volumeMounts[0].name: Not found: "config"`],
    ],
    [
      'two mounts on one path',
      (d) => {
        d.spec.template.spec.volumes = [
          { name: 'a', emptyDir: {} },
          { name: 'b', emptyDir: {} },
        ];
        d.spec.template.spec.containers[0].volumeMounts = [
          { name: 'a', mountPath: '/data' },
          { name: 'b', mountPath: '/data' },
        ];
      },
      [`${CONTAINER}.volumeMounts[1].mountPath: Invalid value: "/data": must be unique`],
    ],
    [
      'a volume with two sources',
      (d) =>
        (d.spec.template.spec.volumes = [
          { name: 'config', configMap: { name: 'x' }, secret: { secretName: 'y' } },
        ]),
      ['spec.template.spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type'],
    ],
    [
      'a ConfigMap volume without a name',
      (d) => (d.spec.template.spec.volumes = [{ name: 'config', configMap: {} }]),
      ['spec.template.spec.volumes[0].configMap.name: Required value'],
    ],
    [
      'an out-of-range defaultMode',
      (d) =>
        (d.spec.template.spec.volumes = [{ name: 'config', configMap: { name: 'x', defaultMode: 1000 } }]),
      [
        'spec.template.spec.volumes[0].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive',
      ],
    ],
    [
      'duplicate volume names',
      (d) =>
        (d.spec.template.spec.volumes = [
          { name: 'config', emptyDir: {} },
          { name: 'config', emptyDir: {} },
        ]),
      ['spec.template.spec.volumes[1].name: Duplicate value: "config"'],
    ],
    [
      'an env var with "=" in its name',
      (d) => (d.spec.template.spec.containers[0].env = [{ name: 'A=B', value: 'x' }]),
      [
        `${CONTAINER}.env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
      ],
    ],
    [
      'an env var with both value and valueFrom',
      (d) =>
        (d.spec.template.spec.containers[0].env = [
          { name: 'MODE', value: 'x', valueFrom: { configMapKeyRef: { name: 'vweb-config', key: 'mode' } } },
        ]),
      [`${CONTAINER}.env[0].valueFrom: Invalid value: "": may not be specified when \`value\` is not empty`],
    ],
    [
      'an unsupported downward API field',
      (d) =>
        (d.spec.template.spec.containers[0].env = [
          { name: 'PHASE', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } },
        ]),
      [
        `${CONTAINER}.env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"`,
      ],
    ],
    [
      'a CPU request above its limit',
      (d) =>
        (d.spec.template.spec.containers[0].resources = { requests: { cpu: '1000m' }, limits: { cpu: 0.5 } }),
      [
        `${CONTAINER}.resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m`,
      ],
    ],
    [
      'a negative memory limit',
      (d) => (d.spec.template.spec.containers[0].resources = { limits: { memory: '-1Gi' } }),
      [`${CONTAINER}.resources.limits[memory]: Invalid value: "-1Gi": must be greater than or equal to 0`],
    ],
    [
      'an unknown unqualified resource',
      (d) => (d.spec.template.spec.containers[0].resources = { limits: { gpu: '1' } }),
      [
        `${CONTAINER}.resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified`,
        `${CONTAINER}.resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers`,
      ],
    ],
    [
      'a liveness probe with successThreshold 2',
      (d) =>
        (d.spec.template.spec.containers[0].livenessProbe = {
          httpGet: { port: 'http' },
          successThreshold: 2,
        }),
      [`${CONTAINER}.livenessProbe.successThreshold: Invalid value: 2: must be 1`],
    ],
    [
      'a probe without a handler',
      (d) => (d.spec.template.spec.containers[0].readinessProbe = { periodSeconds: 5 }),
      [`${CONTAINER}.readinessProbe: Required value: must specify a handler type`],
    ],
    [
      'a probe port out of range',
      (d) => (d.spec.template.spec.containers[0].readinessProbe = { tcpSocket: { port: 0 } }),
      [
        `${CONTAINER}.readinessProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive`,
      ],
    ],
  ])('%s', (_name, mutate, expected) => {
    expect(createErrors(vwebDeployment(), mutate)).toEqual(expected);
  });

  it('reports the selector as immutable on update', () => {
    expect(
      updateErrors(vwebDeployment(), (d) => {
        d.spec.selector = { matchLabels: { app: 'vweb2' } };
        d.spec.template.metadata.labels.app = 'vweb2';
      }),
    ).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"vweb2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });
});

describe('ReplicaSet, DaemonSet and StatefulSet rules', () => {
  const replicaSet = (): KubeObject => ({
    ...vwebDeployment(),
    kind: 'ReplicaSet',
    metadata: { name: 'vweb-6c9f8', namespace: 'default' },
  });
  const daemonSet = () => byKind(todoProxy(), 'DaemonSet');
  const statefulSet = () => byKind(todoDb(), 'StatefulSet');

  it.each<[string, () => KubeObject, Mutator, string[]]>([
    ['a valid ReplicaSet', replicaSet, () => {}, []],
    [
      'a ReplicaSet with an empty selector (upstream words it as deployment)',
      replicaSet,
      (r) => (r.spec.selector = { matchLabels: {} }),
      [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
      ],
    ],
    [
      'negative ReplicaSet replicas',
      replicaSet,
      (r) => (r.spec.replicas = -2),
      ['spec.replicas: Invalid value: -2: must be greater than or equal to 0'],
    ],
    [
      'a DaemonSet selector that does not match',
      daemonSet,
      (ds) => (ds.spec.selector = { matchLabels: { app: 'proxy' } }),
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"todo-proxy"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'a DaemonSet without selector',
      daemonSet,
      (ds) => delete ds.spec.selector,
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"todo-proxy"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'a DaemonSet with an empty selector',
      daemonSet,
      (ds) => (ds.spec.selector = {}),
      [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset',
      ],
    ],
    [
      'a DaemonSet surging and unavailable at once',
      daemonSet,
      (ds) =>
        (ds.spec.updateStrategy = {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: 1, maxSurge: 1 },
        }),
      [
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero',
      ],
    ],
    [
      'a DaemonSet with neither surge nor unavailability',
      daemonSet,
      (ds) => (ds.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } }),
      ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    ],
    [
      'a DaemonSet with an unknown strategy',
      daemonSet,
      (ds) => (ds.spec.updateStrategy = { type: 'Sometimes' }),
      [
        'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Sometimes", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"',
      ],
    ],
    [
      'a DaemonSet template with restartPolicy OnFailure',
      daemonSet,
      (ds) => (ds.spec.template.spec.restartPolicy = 'OnFailure'),
      ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    ],
    [
      'a StatefulSet name with a dot',
      statefulSet,
      (s) => (s.metadata.name = 'todo.db'),
      ['metadata.name: Invalid value: "todo.db": must not contain dots'],
    ],
    [
      'an unknown podManagementPolicy',
      statefulSet,
      (s) => (s.spec.podManagementPolicy = 'Random'),
      ["spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"],
    ],
    [
      'OnDelete with a rollingUpdate',
      statefulSet,
      (s) => (s.spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 1 } }),
      [
        "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'",
      ],
    ],
    [
      'a negative partition',
      statefulSet,
      (s) => (s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } }),
      ['spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'a StatefulSet selector that does not match',
      statefulSet,
      (s) => (s.spec.selector = { matchLabels: { app: 'db' } }),
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"todo-db"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'an empty StatefulSet selector',
      statefulSet,
      (s) => (s.spec.selector = {}),
      [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset',
      ],
    ],
    [
      'an unknown PVC retention policy',
      statefulSet,
      (s) => (s.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Keep' }),
      [
        'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
      ],
    ],
  ])('%s', (_name, make, mutate, expected) => {
    expect(createErrors(make(), mutate)).toEqual(expected);
  });

  it('forbids changing a StatefulSet serviceName or claim templates', () => {
    const forbidden =
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
    expect(updateErrors(statefulSet(), (s) => (s.spec.serviceName = 'db'))).toEqual([forbidden]);
    expect(
      updateErrors(
        statefulSet(),
        (s) => (s.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '100Mi'),
      ),
    ).toEqual([forbidden]);
  });

  it('keeps a DaemonSet and ReplicaSet selector immutable', () => {
    expect(updateErrors(daemonSet(), (ds) => (ds.spec.selector.matchLabels.tier = 'proxy'))).toContain(
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"todo-proxy", "tier":"proxy"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
    expect(
      updateErrors(replicaSet(), (r) => (r.spec.selector = { matchLabels: { app: 'vweb', version: 'v1' } })),
    ).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"vweb", "version":"v1"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it('requires data on a ControllerRevision and freezes it afterwards', () => {
    const revision: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'todo-db-7b9c', namespace: 'default' },
      revision: 1,
      data: { spec: { template: {} } },
    };
    expect(createErrors(revision)).toEqual([]);
    expect(createErrors(revision, (r) => delete r.data)).toEqual(['data: Required value: data is mandatory']);
    expect(updateErrors(revision, (r) => (r.data = { spec: {} }))).toEqual([
      'data: Invalid value: &runtime.Unknown{...}: field is immutable',
    ]);
  });
});

describe('Service rules', () => {
  it.each<[string, Mutator, string[]]>([
    [
      'a name starting with a digit',
      (s) => (s.metadata.name = '9web'),
      [
        "metadata.name: Invalid value: \"9web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    ['no ports', (s) => (s.spec.ports = []), ['spec.ports: Required value']],
    [
      'port 0',
      (s) => (s.spec.ports[0].port = 0),
      ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    ],
    [
      'a targetPort out of range',
      (s) => (s.spec.ports[0].targetPort = 99999),
      ['spec.ports[0].targetPort: Invalid value: 99999: must be between 1 and 65535, inclusive'],
    ],
    [
      'a targetPort name with an underscore',
      (s) => (s.spec.ports[0].targetPort = 'web_port'),
      [
        'spec.ports[0].targetPort: Invalid value: "web_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      ],
    ],
    [
      'two unnamed ports',
      (s) => s.spec.ports.push({ port: 8091, targetPort: 81 }),
      ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value'],
    ],
    [
      'the same port twice',
      (s) =>
        (s.spec.ports = [
          { name: 'a', port: 80 },
          { name: 'b', port: 80 },
        ]),
      [
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
      ],
    ],
    [
      'an unknown type',
      (s) => (s.spec.type = 'Internal'),
      [
        'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ],
    ],
    [
      'a nodePort on a ClusterIP Service',
      (s) => {
        s.spec.type = 'ClusterIP';
        s.spec.ports[0].nodePort = 30080;
      },
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ],
    [
      'an unknown session affinity',
      (s) => (s.spec.sessionAffinity = 'Sticky'),
      ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'],
    ],
    [
      'a headless LoadBalancer',
      (s) => (s.spec.clusterIP = 'None'),
      ['spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for LoadBalancer services'],
    ],
    [
      'an invalid cluster IP',
      (s) => (s.spec.clusterIP = '10.96.0.300'),
      [
        'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ],
    ],
    [
      'externalTrafficPolicy on a ClusterIP Service',
      (s) => {
        s.spec.type = 'ClusterIP';
        s.spec.externalTrafficPolicy = 'Local';
      },
      [
        'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
      ],
    ],
    [
      'an ExternalName Service without a name',
      (s) => {
        s.spec = { type: 'ExternalName' };
      },
      ['spec.externalName: Required value'],
    ],
  ])('%s', (_name, mutate, expected) => {
    expect(createErrors(vwebService(), mutate)).toEqual(expected);
  });

  it('keeps the cluster IP once allocated', () => {
    const service = vwebService();
    service.spec.clusterIP = '10.96.12.7';
    expect(updateErrors(service, (s) => (s.spec.clusterIP = '10.96.12.8'))).toEqual([
      'spec.clusterIPs[0]: Invalid value: []string{"10.96.12.8"}: may not change once set',
    ]);
  });

  it('drops what only the old type needed when a Service changes type', () => {
    const service = vwebService();
    service.spec.clusterIP = '10.96.12.7';
    service.spec.ports[0].nodePort = 31090;
    expect(updateErrors(service, (s) => (s.spec.type = 'ClusterIP'))).toEqual([]);
    expect(
      updateErrors(service, (s) => {
        s.spec.type = 'ExternalName';
        s.spec.externalName = 'vweb.example.com';
      }),
    ).toEqual([]);
    expect(
      updateErrors(service, (s) => {
        s.spec.type = 'ClusterIP';
        s.spec.externalTrafficPolicy = 'Local';
      }),
    ).toEqual([
      'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ]);
  });

  it('accepts a headless Service with a selector and named ports', () => {
    expect(createErrors(byKind(todoDb(), 'Service'))).toEqual([]);
  });
});

describe('ConfigMap, Secret, PVC, quota, namespace, RBAC and Event rules', () => {
  const configMap = () => vwebWithConfigMap()[0] as KubeObject;
  const secret = () => byKind(todoWeb(), 'Secret');
  const claim = (): KubeObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data-todo-db-0', namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Mi' } } },
  });
  const [namespace, , role, binding, quota] = sessionObjects() as [
    KubeObject,
    KubeObject,
    KubeObject,
    KubeObject,
    KubeObject,
  ];

  it.each<[string, () => KubeObject, Mutator, string[]]>([
    [
      'a ConfigMap key with a space',
      configMap,
      (c) => (c.data['v txt'] = 'x'),
      [
        "data[v txt]: Invalid value: \"v txt\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      ],
    ],
    [
      'a ConfigMap key ..data',
      configMap,
      (c) => (c.data['..data'] = 'x'),
      ['data[..data]: Invalid value: "..data": must not start with \'..\''],
    ],
    [
      'a key in both data and binaryData',
      configMap,
      (c) => (c.binaryData = { 'v.txt': Buffer.from('x').toString('base64') }),
      ['data[v.txt]: Invalid value: "v.txt": duplicate of key present in binaryData'],
    ],
    [
      'a ConfigMap over 1 MiB',
      configMap,
      (c) => (c.data['v.txt'] = 'x'.repeat(1_048_577)),
      ['[]: Too long: may not be more than 1048576 bytes'],
    ],
    ['a ConfigMap of exactly 1 MiB', configMap, (c) => (c.data['v.txt'] = 'x'.repeat(1_048_576)), []],
    [
      'a Secret key with a slash',
      secret,
      (s) => (s.stringData = { 'a/b': 'x' }),
      [
        "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      ],
    ],
    [
      'a Secret over 1 MiB',
      secret,
      (s) => (s.stringData = { big: 'x'.repeat(1_048_577) }),
      ['data: Too long: may not be more than 1048576 bytes'],
    ],
    [
      'a TLS Secret without its key',
      secret,
      (s) => {
        s.type = 'kubernetes.io/tls';
        s.stringData = { 'tls.crt': 'cert' };
      },
      ['data[tls.key]: Required value'],
    ],
    [
      'a claim without access modes',
      claim,
      (c) => delete c.spec.accessModes,
      ['spec.accessModes: Required value: at least 1 access mode is required'],
    ],
    [
      'a claim without a storage request',
      claim,
      (c) => (c.spec.resources = {}),
      ['spec.resources[storage]: Required value'],
    ],
    [
      'a claim for zero bytes',
      claim,
      (c) => (c.spec.resources.requests.storage = '0'),
      ['spec.resources[storage]: Invalid value: "0": must be greater than zero'],
    ],
    [
      'an unknown access mode',
      claim,
      (c) => (c.spec.accessModes = ['ReadWriteAll']),
      [
        'spec.accessModes: Unsupported value: "ReadWriteAll": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      ],
    ],
    [
      'a fractional pod quota',
      () => quota,
      (q) => (q.spec.hard.pods = '1.5'),
      [
        'spec.hard[pods]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1500m", Format:"DecimalSI"}: must be an integer',
      ],
    ],
    [
      'a quota on an unknown resource',
      () => quota,
      (q) => (q.spec.hard = { widgets: '3' }),
      [
        'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified',
        'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota',
      ],
    ],
    [
      'a namespace name with capitals',
      () => namespace,
      (n) => (n.metadata.name = 'Session-1'),
      [`metadata.name: Invalid value: "Session-1": ${LABEL_RULE}`],
    ],
    [
      'a namespace given a namespace',
      () => namespace,
      (n) => (n.metadata.namespace = 'default'),
      ['metadata.namespace: Forbidden: not allowed on this type'],
    ],
    [
      'a role rule without verbs',
      () => role,
      (r) => (r.rules[0].verbs = []),
      ['rules[0].verbs: Required value: verbs must contain at least one value'],
    ],
    [
      'a role rule without resources',
      () => role,
      (r) => delete r.rules[0].resources,
      ['rules[0].resources: Required value: resource rules must supply at least one resource'],
    ],
    [
      'a role name with a slash',
      () => role,
      (r) => (r.metadata.name = 'a/b'),
      ['metadata.name: Invalid value: "a/b": may not contain \'/\''],
    ],
    [
      'a binding to an unknown kind',
      () => binding,
      (b) => (b.roleRef.kind = 'User'),
      ['roleRef.kind: Unsupported value: "User": supported values: "Role", "ClusterRole"'],
    ],
    [
      'a binding subject of unknown kind',
      () => binding,
      (b) => (b.subjects[0].kind = 'Robot'),
      ['subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'],
    ],
  ])('%s', (_name, make, mutate, expected) => {
    expect(createErrors(make(), mutate)).toEqual(expected);
  });

  it('freezes an immutable ConfigMap and a Secret type', () => {
    const frozen = configMap();
    frozen.immutable = true;
    expect(updateErrors(frozen, (c) => (c.data['v.txt'] = 'v3.1'))).toEqual([
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
    expect(updateErrors(configMap(), (c) => (c.data['v.txt'] = 'v3.1'))).toEqual([]);
    expect(updateErrors(secret(), (s) => (s.type = 'kubernetes.io/basic-auth'))).toContain(
      'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
    );
  });

  it('forbids changing a RoleBinding roleRef', () => {
    expect(updateErrors(binding, (b) => (b.roleRef.name = 'other'))).toEqual([
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef',
    ]);
  });

  it('checks an Event against its involved object namespace', () => {
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'vweb.17f3a', namespace: 'default' },
      involvedObject: { kind: 'Deployment', name: 'vweb', namespace: 'default' },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set vweb-6c9f8 to 2',
      type: 'Normal',
    };
    expect(createErrors(event)).toEqual([]);
    expect(createErrors(event, (e) => (e.involvedObject.namespace = 'other'))).toEqual([
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
  });
});

describe('Pod rules', () => {
  const pod = (): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'vweb-6c9f8-x2k5l', namespace: 'default', labels: { app: 'vweb' } },
    spec: structuredClone(vwebDeployment().spec.template.spec),
  });

  it('accepts a pod built from the vweb template', () => {
    expect(createErrors(pod())).toEqual([]);
  });

  it('rejects an image with surrounding spaces only on Pods', () => {
    expect(createErrors(pod(), (p) => (p.spec.containers[0].image = ' nginx '))).toEqual([
      'spec.containers[0].image: Invalid value: " nginx ": must not have leading or trailing whitespace',
    ]);
  });

  it('allows an image change but not a port change on update', () => {
    expect(updateErrors(pod(), (p) => (p.spec.containers[0].image = 'kiamol/ch09-vweb:v2'))).toEqual([]);
    const errors = updateErrors(pod(), (p) => (p.spec.containers[0].ports[0].containerPort = 8080));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,`spec\.initContainers\[\*\]\.image`,`spec\.activeDeadlineSeconds`,`spec\.tolerations` \(only additions to existing tolerations\),`spec\.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/,
    );
  });
});
