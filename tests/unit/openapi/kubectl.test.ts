/**
 * The real kubectl against a stand-in server that serves our OpenAPI documents: `kubectl apply`
 * with its default `--validate=strict` must get past validation and POST with
 * `fieldValidation=Strict`, leaving unknown fields to the server. 1.27 reads /openapi/v2 as
 * gnostic protobuf before anything else; 1.29+ read /openapi/v3 only.
 *
 * Measured: kubectl sends `fieldValidation=Strict` whether or not the documents declare the
 * parameter; without it kubectl validates on the client first and reports an unknown field in its
 * own words (`error validating data: ValidationError(Deployment.spec): unknown field ...`). So the
 * tests that prove the server is trusted are the ones where the server's message comes back.
 */
import { describe, expect, it } from 'vitest';
import {
  hasKubectl,
  type KubectlProbe,
  kubectlPath,
  runKubectl,
  startKubectlProbe,
} from './kubectl-probe.ts';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vweb
  labels: {app: vweb}
spec:
  replicas: 2
  minReadySeconds: 5
  selector:
    matchLabels: {app: vweb}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 25%}
  template:
    metadata:
      labels: {app: vweb}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
      - name: web
        image: kiamol/ch09-vweb:v1
        ports: [{containerPort: 80, name: http}]
        resources:
          limits: {cpu: 250m, memory: 64Mi}
          requests: {cpu: 0.1}
        readinessProbe:
          httpGet: {path: /v.txt, port: 80}
          periodSeconds: 5
        livenessProbe:
          tcpSocket: {port: http}
`;

const POST_PATH = '/apis/apps/v1/namespaces/default/deployments?';

async function withProbe<T>(
  options: Parameters<typeof startKubectlProbe>[0],
  run: (probe: KubectlProbe) => Promise<T>,
): Promise<T> {
  const probe = await startKubectlProbe(options);
  try {
    return await run(probe);
  } finally {
    await probe.close();
  }
}

function postOf(probe: KubectlProbe) {
  return probe.requests.find((r) => r.method === 'POST' && r.url.startsWith(POST_PATH));
}

/** The test name says why it is skipped when the binary is missing. */
function titleFor(minor: number, title: string): string {
  return hasKubectl(minor) ? title : `${title} (skipped: ${kubectlPath(minor)} is not installed)`;
}

describe.each([27, 33])('kubectl 1.%i apply', (minor) => {
  it.skipIf(!hasKubectl(minor))(
    titleFor(minor, 'validates against our OpenAPI and POSTs with fieldValidation=Strict'),
    async () => {
      await withProbe({}, async (probe) => {
        const run = await runKubectl(probe, minor, ['apply', '-f', 'deployment.yaml'], {
          'deployment.yaml': DEPLOYMENT,
        });
        expect(run.stderr).toBe('');
        expect(run.stdout.trim()).toBe('deployment.apps/vweb created');
        const post = postOf(probe);
        const query = new URLSearchParams(post?.url.split('?')[1]);
        expect(query.get('fieldValidation')).toBe('Strict');
        expect(query.get('fieldManager')).toBe('kubectl-client-side-apply');
        const sent = JSON.parse(post!.body);
        expect(sent.spec.template.spec.terminationGracePeriodSeconds).toBe(5);
        const urls = probe.requests.map((r) => r.url.split('?')[0]);
        expect(urls).toContain('/openapi/v3/apis/apps/v1');
        if (minor <= 28) expect(urls[0]).toBe('/openapi/v2');
      });
    },
  );

  it.skipIf(!hasKubectl(minor))(
    titleFor(minor, "prints the server's strict decoding error for an unknown field"),
    async () => {
      await withProbe({}, async (probe) => {
        const manifest = DEPLOYMENT.replace('  replicas: 2', '  replicass: 2');
        const run = await runKubectl(probe, minor, ['apply', '-f', 'deployment.yaml'], {
          'deployment.yaml': manifest,
        });
        expect(run.code).not.toBe(0);
        expect(run.stderr.trim()).toBe(
          'Error from server (BadRequest): error when creating "deployment.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicass"',
        );
      });
    },
  );
});

/** The Deployment as last applied, stored on the server with its last-applied annotation. */
function existingDeployment(): object {
  const applied = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vweb', namespace: 'default' },
    spec: {
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: { app: 'vweb' } },
      template: {
        metadata: { labels: { app: 'vweb' } },
        spec: {
          containers: [{ name: 'web', image: 'kiamol/ch09-vweb:v1', env: [{ name: 'A', value: '1' }] }],
        },
      },
    },
  };
  const annotations = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) };
  return { ...applied, metadata: { ...applied.metadata, annotations, resourceVersion: '7' } };
}

const RECREATE_V2 = `apiVersion: apps/v1
kind: Deployment
metadata: {name: vweb, namespace: default}
spec:
  strategy: {type: Recreate}
  selector: {matchLabels: {app: vweb}}
  template:
    metadata: {labels: {app: vweb}}
    spec:
      containers:
      - name: web
        image: kiamol/ch09-vweb:v2
        env: [{name: A, value: "1"}, {name: B, value: "2"}]
`;

describe.each([27, 33])('kubectl 1.%i apply to an existing Deployment', (minor) => {
  it.skipIf(!hasKubectl(minor))(
    titleFor(minor, 'builds its strategic merge patch from our merge keys and strategies'),
    async () => {
      await withProbe({ existing: existingDeployment() }, async (probe) => {
        const run = await runKubectl(probe, minor, ['apply', '-f', 'deployment.yaml'], {
          'deployment.yaml': RECREATE_V2,
        });
        // kubectl falls back to its compiled-in types with a warning when our schema cannot serve.
        expect(run.stderr).toBe('');
        expect(run.stdout.trim()).toBe('deployment.apps/vweb configured');
        const patch = probe.requests.find((r) => r.method === 'PATCH');
        expect(patch?.contentType).toBe('application/strategic-merge-patch+json');
        const spec = JSON.parse(patch!.body).spec;
        // retainKeys on DeploymentSpec.strategy: switching to Recreate clears rollingUpdate.
        expect(spec.strategy).toEqual({ $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' });
        // containers merge by name and env by name: only the change travels, with the order.
        expect(spec.template.spec['$setElementOrder/containers']).toEqual([{ name: 'web' }]);
        expect(spec.template.spec.containers).toHaveLength(1);
        expect(spec.template.spec.containers[0]).toMatchObject({
          name: 'web',
          image: 'kiamol/ch09-vweb:v2',
          env: [{ name: 'B', value: '2' }],
          '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }],
        });
      });
    },
  );
});

describe('kubectl 1.27 with /openapi/v2 only', () => {
  it.skipIf(!hasKubectl(27))(
    titleFor(27, 'finds fieldValidation in the protobuf document alone'),
    async () => {
      await withProbe({ serveV3: false }, async (probe) => {
        const run = await runKubectl(probe, 27, ['apply', '-f', 'deployment.yaml'], {
          'deployment.yaml': DEPLOYMENT,
        });
        expect(run.stdout.trim()).toBe('deployment.apps/vweb created');
        expect(new URLSearchParams(postOf(probe)?.url.split('?')[1]).get('fieldValidation')).toBe('Strict');
        const manifest = DEPLOYMENT.replace('        image:', '        imagee:');
        const bad = await runKubectl(probe, 27, ['apply', '-f', 'deployment.yaml'], {
          'deployment.yaml': manifest,
        });
        expect(bad.stderr).toContain(
          'strict decoding error: unknown field "spec.template.spec.containers[0].imagee"',
        );
      });
    },
  );
});

describe('kubectl 1.33 explain', () => {
  it.skipIf(!hasKubectl(33))(
    titleFor(33, 'explains deployment.spec.strategy from the v3 document'),
    async () => {
      await withProbe({}, async (probe) => {
        const run = await runKubectl(probe, 33, ['explain', 'deployment.spec.strategy']);
        expect(run.stderr).toBe('');
        expect(run.stdout).toContain('GROUP:      apps\nKIND:       Deployment\nVERSION:    v1');
        expect(run.stdout).toContain('FIELD: strategy <DeploymentStrategy>');
        expect(run.stdout).toMatch(/rollingUpdate\t<RollingUpdateDeployment>/);
        expect(run.stdout).toMatch(/type\t<string>/);
      });
    },
  );
});
