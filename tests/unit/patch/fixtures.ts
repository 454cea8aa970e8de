/**
 * Objects as the API server stores them after `kubectl apply` of the chapter's manifests (with the
 * server's defaults filled in), and the PATCH bodies real kubectl sends for the chapter's commands.
 *
 * The bodies were captured verbatim from kubectl 1.33 (1.27 sends the same ones) pointed at a
 * loopback HTTP server that logged each request; only the `kubernetes.io/change-cause` text was
 * shortened (kubectl records its full command line there).
 */

import type { JsonObject } from '../../../sandbox/cluster/api/objects.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The last-applied annotation of `vweb/vweb-v1.yaml` as kubectl wrote it on create. */
export const LAST_APPLIED_VWEB_V1 =
  '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"kiamol":"ch09"},"name":"vweb","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"vweb"}},"template":{"metadata":{"labels":{"app":"vweb","version":"v1"}},"spec":{"containers":[{"image":"kiamol/ch09-vweb:v1","name":"web","ports":[{"containerPort":80,"name":"http"}]}]}}}}\n';

interface VwebOptions {
  replicas?: number;
  version?: string;
  image?: string;
  strategy?: JsonObject;
  annotations?: Record<string, string>;
  volumes?: JsonObject[];
  volumeMounts?: JsonObject[];
}

/** Deployment `vweb` as stored: the chapter's manifest plus the fields the server defaults. */
export function vwebDeployment(options: VwebOptions = {}): JsonObject {
  const container: JsonObject = {
    name: 'web',
    image: options.image ?? 'kiamol/ch09-vweb:v1',
    ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
  if (options.volumeMounts) container.volumeMounts = options.volumeMounts;
  const podSpec: JsonObject = {
    containers: [container],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
  };
  if (options.volumes) podSpec.volumes = options.volumes;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'vweb',
      namespace: 'default',
      uid: '6f1f6c9e-0d0a-4c55-9a43-3f0e7e4a1c11',
      resourceVersion: '1042',
      generation: 1,
      creationTimestamp: '2025-01-01T00:00:00Z',
      labels: { kiamol: 'ch09' },
      annotations: options.annotations ?? {
        'deployment.kubernetes.io/revision': '1',
        [LAST_APPLIED]: LAST_APPLIED_VWEB_V1,
      },
    },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { app: 'vweb' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'vweb', version: options.version ?? 'v1' } },
        spec: podSpec,
      },
      strategy: options.strategy ?? {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 1,
      replicas: options.replicas ?? 2,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  };
}

/** Deployment `todo-web` as stored after applying a manifest with two ports and two env vars. */
export function todoWebDeployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'todo-web',
      namespace: 'default',
      uid: 'b1d6',
      resourceVersion: '77',
      labels: { kiamol: 'ch09' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'todo-web' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'todo-web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'kiamol/ch04-todo-list',
              ports: [
                { containerPort: 80, name: 'http', protocol: 'TCP' },
                { containerPort: 8080, name: 'metrics', protocol: 'TCP' },
              ],
              env: [
                { name: 'Database__ReadOnly', value: 'true' },
                { name: 'Logging__Level', value: 'Debug' },
              ],
              volumeMounts: [{ name: 'config', mountPath: '/app/config', readOnly: true }],
              imagePullPolicy: 'Always',
            },
          ],
          volumes: [{ name: 'config', configMap: { name: 'todo-web-config', defaultMode: 420 } }],
          restartPolicy: 'Always',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    },
  };
}

/** Captured PATCH bodies, keyed by the command that sent them. */
export const KUBECTL_PATCHES = {
  /** `kubectl apply -f vweb/update/vweb-v1-scale.yaml` over vweb-v1 (replicas 2 → 3). */
  applyScale:
    '{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\",\\"metadata\\":{\\"annotations\\":{},\\"labels\\":{\\"kiamol\\":\\"ch09\\"},\\"name\\":\\"vweb\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"replicas\\":3,\\"selector\\":{\\"matchLabels\\":{\\"app\\":\\"vweb\\"}},\\"template\\":{\\"metadata\\":{\\"labels\\":{\\"app\\":\\"vweb\\",\\"version\\":\\"v1\\"}},\\"spec\\":{\\"containers\\":[{\\"image\\":\\"kiamol/ch09-vweb:v1\\",\\"name\\":\\"web\\",\\"ports\\":[{\\"containerPort\\":80,\\"name\\":\\"http\\"}]}]}}}}\\n"}},"spec":{"replicas":3}}',
  /** `kubectl apply -f vweb/update/vweb-v2.yaml --record` over vweb-v1.1. */
  applyV2Record:
    '{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\",\\"metadata\\":{\\"annotations\\":{\\"kubernetes.io/change-cause\\":\\"kubectl apply --filename=vweb/update/vweb-v2.yaml --record=true\\"},\\"labels\\":{\\"kiamol\\":\\"ch09\\"},\\"name\\":\\"vweb\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"replicas\\":3,\\"selector\\":{\\"matchLabels\\":{\\"app\\":\\"vweb\\"}},\\"template\\":{\\"metadata\\":{\\"labels\\":{\\"app\\":\\"vweb\\",\\"version\\":\\"v2\\"}},\\"spec\\":{\\"containers\\":[{\\"image\\":\\"kiamol/ch09-vweb:v2\\",\\"name\\":\\"web\\",\\"ports\\":[{\\"containerPort\\":80,\\"name\\":\\"http\\"}]}]}}}}\\n","kubernetes.io/change-cause":"kubectl apply --filename=vweb/update/vweb-v2.yaml --record=true"}},"spec":{"template":{"metadata":{"labels":{"version":"v2"}},"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"image":"kiamol/ch09-vweb:v2","name":"web"}]}}}}',
  /** `kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2`. */
  setImage:
    '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"image":"kiamol/ch09-vweb:v2","name":"web"}]}}}}',
  /** `kubectl apply -f vweb-strategies/vweb-recreate-v2.yaml` over a Deployment applied without a strategy. */
  applyRecreate:
    '{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\",\\"metadata\\":{\\"annotations\\":{},\\"labels\\":{\\"kiamol\\":\\"ch09\\"},\\"name\\":\\"vweb\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"replicas\\":3,\\"selector\\":{\\"matchLabels\\":{\\"app\\":\\"vweb\\"}},\\"strategy\\":{\\"type\\":\\"Recreate\\"},\\"template\\":{\\"metadata\\":{\\"labels\\":{\\"app\\":\\"vweb\\",\\"version\\":\\"v2\\"}},\\"spec\\":{\\"containers\\":[{\\"image\\":\\"kiamol/ch09-vweb:v2\\",\\"name\\":\\"web\\",\\"ports\\":[{\\"containerPort\\":80,\\"name\\":\\"http\\"}]}]}}}}\\n"}},"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}',
  /** The same apply over a Deployment whose manifest had set `rollingUpdate` (it is now deleted). */
  applyRecreateOverRollingUpdate:
    '{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}}',
  /** `kubectl apply -f vweb-strategies/vweb-rollingUpdate-v2.yaml` over the Recreate Deployment. */
  applyRollingUpdate:
    '{"spec":{"strategy":{"$retainKeys":["rollingUpdate","type"],"rollingUpdate":{"maxSurge":1,"maxUnavailable":0},"type":"RollingUpdate"}}}',
  /** `kubectl apply -f vweb/update/vweb-v4-with-configMap.yaml` over v3 (the ConfigMap volume changes name). */
  applyConfigMapV4:
    '{"spec":{"template":{"metadata":{"labels":{"version":"v4"}},"spec":{"$setElementOrder/volumes":[{"name":"v-txt"}],"volumes":[{"$retainKeys":["configMap","name"],"configMap":{"name":"vweb-config-v4"},"name":"v-txt"}]}}}}',
  /** `kubectl apply` of todo-web without the metrics port and the Database__ReadOnly variable. */
  applyRemovePortAndEnv:
    '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"$setElementOrder/env":[{"name":"Logging__Level"}],"$setElementOrder/ports":[{"containerPort":80}],"env":[{"$patch":"delete","name":"Database__ReadOnly"}],"name":"web","ports":[{"$patch":"delete","containerPort":8080}]}]}}}}',
  /** `kubectl set env deploy/vweb A=1`. */
  setEnv:
    '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"env":[{"name":"A","value":"1"}],"name":"web"}]}}}}',
  /** `kubectl rollout pause deploy/vweb`. */
  rolloutPause: '{"spec":{"paused":true}}',
  /** `kubectl rollout resume deploy/vweb`. */
  rolloutResume: '{"spec":{"paused":null}}',
  /** `kubectl rollout restart deploy/vweb`. */
  rolloutRestart:
    '{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-27T16:04:18Z"}}}}}',
  /** `kubectl label deploy/vweb tier=web` (merge patch). */
  label: '{"metadata":{"labels":{"tier":"web"}}}',
  /** `kubectl annotate deploy/vweb owner=me` (merge patch). */
  annotate: '{"metadata":{"annotations":{"owner":"me"}}}',
  /** `kubectl label deploy/vweb kiamol-` (merge patch). */
  unlabel: '{"metadata":{"labels":{"kiamol":null}}}',
  /** `kubectl scale deploy/vweb --replicas=5`, sent to the scale subresource (merge patch). */
  scale: '{"spec":{"replicas":5}}',
  /** `kubectl rollout undo deploy/vweb` back to the v1 ReplicaSet (JSON patch). */
  rolloutUndo:
    '[{"op":"replace","path":"/spec/template","value":{"metadata":{"creationTimestamp":null,"labels":{"app":"vweb","version":"v1"}},"spec":{"containers":[{"name":"web","image":"kiamol/ch09-vweb:v1","ports":[{"name":"http","containerPort":80,"protocol":"TCP"}],"resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},"schedulerName":"default-scheduler"}}},{"op":"replace","path":"/metadata/annotations","value":{"deployment.kubernetes.io/revision":"3","kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\",\\"metadata\\":{\\"annotations\\":{},\\"labels\\":{\\"kiamol\\":\\"ch09\\"},\\"name\\":\\"vweb\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"replicas\\":3,\\"selector\\":{\\"matchLabels\\":{\\"app\\":\\"vweb\\"}},\\"template\\":{\\"metadata\\":{\\"labels\\":{\\"app\\":\\"vweb\\",\\"version\\":\\"v2\\"}},\\"spec\\":{\\"containers\\":[{\\"image\\":\\"kiamol/ch09-vweb:v2\\",\\"name\\":\\"web\\",\\"ports\\":[{\\"containerPort\\":80,\\"name\\":\\"http\\"}]}]}}}}\\n"}}]',
} as const;

/** A deep snapshot to compare against later, proving an input was not modified. */
export function snapshot(value: unknown): string {
  return JSON.stringify(value);
}
