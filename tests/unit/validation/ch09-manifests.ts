/**
 * Manifests of the chapter-9 exercises (see shared/CHAPTER9.md) as the API server receives them:
 * decoded JSON with the namespace taken from the request. Each call returns fresh objects.
 */
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';

/** `vweb/vweb-v1.yaml`: Deployment vweb, 2 replicas, container web with port `http`. */
export function vwebDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vweb', namespace: 'default', labels: { kiamol: 'ch09' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'vweb' } },
      template: {
        metadata: { labels: { app: 'vweb', version: 'v1' } },
        spec: {
          containers: [
            { name: 'web', image: 'kiamol/ch09-vweb:v1', ports: [{ name: 'http', containerPort: 80 }] },
          ],
        },
      },
    },
  };
}

/** `vweb/vweb-service.yaml`: LoadBalancer on 8090 to the named port. */
export function vwebService(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'vweb', namespace: 'default', labels: { kiamol: 'ch09' } },
    spec: { type: 'LoadBalancer', ports: [{ port: 8090, targetPort: 'http' }], selector: { app: 'vweb' } },
  };
}

/** `vweb-strategies/vweb-rollingUpdate-v3.yaml`: slow, bounded rollout of the failing image. */
export function vwebRollingUpdateV3(): KubeObject {
  const deployment = vwebDeployment();
  deployment.spec.replicas = 3;
  deployment.spec.minReadySeconds = 30;
  deployment.spec.progressDeadlineSeconds = 120;
  deployment.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } };
  deployment.spec.template.metadata.labels.version = 'v3';
  deployment.spec.template.spec.containers[0].image = 'kiamol/ch09-vweb:v3';
  return deployment;
}

/** `vweb/update/vweb-v3-with-configMap.yaml`: the ConfigMap mounted over the web root. */
export function vwebWithConfigMap(): KubeObject[] {
  const deployment = vwebDeployment();
  deployment.spec.replicas = 3;
  deployment.spec.template.metadata.labels.version = 'v3';
  deployment.spec.template.spec.containers[0].image = 'kiamol/ch09-vweb:v2';
  deployment.spec.template.spec.containers[0].volumeMounts = [
    { name: 'config', mountPath: '/usr/share/nginx/html/', readOnly: true },
  ];
  deployment.spec.template.spec.volumes = [{ name: 'config', configMap: { name: 'vweb-config' } }];
  const configMap: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'vweb-config', namespace: 'default', labels: { kiamol: 'ch09' } },
    data: { 'v.txt': 'v3-from-config' },
  };
  return [configMap, deployment];
}

/** `todo-list/db/`: the headless Service and the two-replica Postgres StatefulSet. */
export function todoDb(): KubeObject[] {
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'todo-db', namespace: 'default', labels: { kiamol: 'ch09' } },
    spec: {
      selector: { app: 'todo-db' },
      clusterIP: 'None',
      ports: [{ name: 'db', port: 5432, targetPort: 5432 }],
    },
  };
  const statefulSet: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'todo-db', namespace: 'default', labels: { kiamol: 'ch09' } },
    spec: {
      selector: { matchLabels: { app: 'todo-db' } },
      serviceName: 'todo-db',
      replicas: 2,
      template: {
        metadata: { labels: { app: 'todo-db' } },
        spec: {
          initContainers: [
            {
              name: 'wait-service',
              image: 'kiamol/ch03-sleep',
              envFrom: [{ configMapRef: { name: 'todo-db-env' } }],
              command: ['/scripts/wait-service.sh'],
              volumeMounts: [{ name: 'scripts', mountPath: '/scripts' }],
            },
            {
              name: 'initialize-replication',
              image: 'postgres:11.6-alpine',
              env: [
                {
                  name: 'PGPASSWORD',
                  valueFrom: { secretKeyRef: { name: 'todo-db-secret', key: 'POSTGRES_PASSWORD' } },
                },
              ],
              envFrom: [{ configMapRef: { name: 'todo-db-env' } }],
              command: ['/scripts/initialize-replication.sh'],
              volumeMounts: [
                { name: 'scripts', mountPath: '/scripts' },
                { name: 'data', mountPath: '/pgdata' },
              ],
            },
          ],
          containers: [
            {
              name: 'db',
              image: 'postgres:11.6-alpine',
              env: [{ name: 'POSTGRES_PASSWORD_FILE', value: '/secrets/postgres_password' }],
              envFrom: [{ configMapRef: { name: 'todo-db-env' } }],
              volumeMounts: [
                { name: 'secret', mountPath: '/secrets' },
                { name: 'scripts', mountPath: '/scripts' },
                { name: 'data', mountPath: '/pgdata' },
              ],
            },
          ],
          volumes: [
            {
              name: 'secret',
              secret: {
                secretName: 'todo-db-secret',
                defaultMode: 0o400,
                items: [{ key: 'POSTGRES_PASSWORD', path: 'postgres_password' }],
              },
            },
            { name: 'scripts', configMap: { name: 'todo-db-scripts', defaultMode: 0o555 } },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels: { kiamol: 'ch09' } },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Mi' } } },
        },
      ],
    },
  };
  return [service, statefulSet];
}

/** `todo-list/web/`: the web Deployment with config and secret volumes, its ConfigMap and Secret. */
export function todoWeb(): KubeObject[] {
  const configMap: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'todo-web-config', namespace: 'default', labels: { kiamol: 'ch09' } },
    data: { 'config.json': '{ "ConfigController": { "Enabled": true } }' },
  };
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'todo-web-secret', namespace: 'default', labels: { kiamol: 'ch09' } },
    type: 'Opaque',
    stringData: { 'secrets.json': '{ "ConnectionStrings": { "ToDoDb": "Server=todo-db-0.todo-db..." } }' },
  };
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'todo-web', namespace: 'default', labels: { kiamol: 'ch09' } },
    spec: {
      selector: { matchLabels: { app: 'todo-web' } },
      template: {
        metadata: { labels: { app: 'todo-web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'kiamol/ch04-todo-list',
              env: [{ name: 'Logging__LogLevel__Default', value: 'Debug' }],
              volumeMounts: [
                { name: 'config', mountPath: '/app/config', readOnly: true },
                { name: 'secret', mountPath: '/app/secrets', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'todo-web-config' } },
            { name: 'secret', secret: { secretName: 'todo-web-secret', defaultMode: 0o400 } },
          ],
        },
      },
    },
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'todo-web', namespace: 'default', labels: { kiamol: 'ch09' } },
    spec: { ports: [{ port: 80, targetPort: 80 }], selector: { app: 'todo-web' } },
  };
  return [configMap, secret, deployment, service];
}

/** `todo-list/proxy/update/nginx-rollingUpdate.yaml`: the DaemonSet proxy, rolling one node at a time. */
export function todoProxy(): KubeObject[] {
  const daemonSet: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'todo-proxy', namespace: 'default', labels: { kiamol: 'ch09' } },
    spec: {
      selector: { matchLabels: { app: 'todo-proxy' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      minReadySeconds: 90,
      template: {
        metadata: { labels: { app: 'todo-proxy' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.18-alpine',
              ports: [{ name: 'http', containerPort: 80 }],
              volumeMounts: [
                { name: 'config', mountPath: '/etc/nginx/', readOnly: true },
                { name: 'cache', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'todo-proxy-configmap' } },
            { name: 'cache', emptyDir: {} },
          ],
        },
      },
    },
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'todo-proxy', namespace: 'default', labels: { kiamol: 'ch09' } },
    spec: { type: 'LoadBalancer', ports: [{ port: 8091, targetPort: 80 }], selector: { app: 'todo-proxy' } },
  };
  return [daemonSet, service];
}

/** What session provisioning creates: a namespace, a ServiceAccount, its Role and RoleBinding, a quota. */
export function sessionObjects(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'session-a1b2c3' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'learner', namespace: 'session-a1b2c3' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'learner', namespace: 'session-a1b2c3' },
      rules: [{ apiGroups: ['', 'apps'], resources: ['*'], verbs: ['*'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'learner', namespace: 'session-a1b2c3' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'learner' },
      subjects: [{ kind: 'ServiceAccount', name: 'learner', namespace: 'session-a1b2c3' }],
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'learner-quota', namespace: 'session-a1b2c3' },
      spec: {
        hard: { pods: '20', 'requests.cpu': '2', 'limits.memory': '4Gi', 'count/deployments.apps': '10' },
      },
    },
  ];
}
