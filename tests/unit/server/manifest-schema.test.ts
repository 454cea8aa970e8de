/**
 * The editor's manifest schema: built from the OpenAPI v3 documents the embedded control plane
 * serves, then checked with an independent JSON Schema validator (ajv), so what the editor marks
 * is what a standard checker of that schema says. One test builds it through the server's cache
 * from a running embedded cluster, over HTTPS with a kubeconfig, as the route does.
 */
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { getOpenApiV3Document } from '../../../sandbox/cluster/api/openapi/index.ts';
import { type EmbeddedCluster, startEmbeddedCluster } from '../../../sandbox/cluster/embedded-cluster.ts';
import {
  buildManifestSchema,
  collectComponentSchemas,
  MANIFEST_KINDS,
  SchemaSourceError,
} from '../../../sandbox/server/manifest-schema.ts';
import { createSchemaCache } from '../../../sandbox/server/schema-route.ts';

const documents = [getOpenApiV3Document('api/v1'), getOpenApiV3Document('apis/apps/v1')];
const { schema, missingKinds } = buildManifestSchema(documents);
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validate = ajv.compile(schema);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vweb
  labels:
    kiamol: ch09
spec:
  replicas: 3
  selector:
    matchLabels:
      app: vweb
  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 25%
  template:
    metadata:
      labels:
        app: vweb
    spec:
      containers:
        - name: web
          image: kiamol/ch09-vweb:v1
          ports:
            - containerPort: 80
              name: http
          resources:
            limits:
              cpu: 250m
              memory: 50Mi
`;

/** The errors ajv reports for a YAML document, as `path message` lines. */
function errorsOf(yaml: string): string[] {
  if (validate(parse(yaml))) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('manifest schema from the served OpenAPI', () => {
  it('finds every kind the chapter uses', () => {
    expect(missingKinds).toEqual([]);
    const kinds = (schema.properties as { kind: { enum: string[] } }).kind.enum;
    for (const kind of [
      'Deployment',
      'ReplicaSet',
      'Service',
      'ConfigMap',
      'DaemonSet',
      'StatefulSet',
      'Pod',
      'Namespace',
    ])
      expect(kinds).toContain(kind);
  });

  it('accepts the chapter manifest and its neighbours', () => {
    expect(errorsOf(DEPLOYMENT)).toEqual([]);
    expect(
      errorsOf(
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: vweb\nspec:\n  ports:\n    - port: 8090\n      targetPort: http\n  selector:\n    app: vweb\n  type: LoadBalancer\n',
      ),
    ).toEqual([]);
    expect(errorsOf('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n')).toEqual([]);
  });

  it('rejects replicas: three (a string where the API takes an integer)', () => {
    const errors = errorsOf(DEPLOYMENT.replace('replicas: 3', 'replicas: three'));
    expect(errors).toContain('/spec/replicas must be integer');
  });

  it('rejects an unknown field, as the API server does under fieldValidation=Strict', () => {
    const errors = errorsOf(DEPLOYMENT.replace('replicas: 3', 'replicass: 3'));
    expect(errors).toContain('/spec must NOT have additional properties');
    const error = validate.errors?.find((e) => e.keyword === 'additionalProperties');
    expect(error?.params).toEqual({ additionalProperty: 'replicass' });
  });

  it('checks the kind the document names (a Service field in a Deployment is unknown)', () => {
    expect(errorsOf(DEPLOYMENT.replace('replicas: 3', 'type: LoadBalancer'))).toContain(
      '/spec must NOT have additional properties',
    );
    expect(errorsOf('apiVersion: v1\nkind: Service\nspec:\n  replicas: 3\n')).toContain(
      '/spec must NOT have additional properties',
    );
  });

  it('requires apiVersion and kind, and knows which kinds exist', () => {
    expect(errorsOf('metadata:\n  name: x\n').join()).toMatch(/apiVersion/);
    expect(errorsOf('apiVersion: apps/v1\nkind: Deploymant\n').join()).toMatch(
      /\/kind must be equal to one of/,
    );
  });

  it('keeps the descriptions the cluster serves, for hover docs', () => {
    const definitions = schema.definitions as Record<
      string,
      { description?: string; properties?: Record<string, { description?: string }> }
    >;
    expect(definitions['io.k8s.api.apps.v1.Deployment']?.description).toMatch(/declarative updates/);
    expect(definitions['io.k8s.api.apps.v1.DeploymentSpec']?.properties?.replicas?.description).toMatch(
      /Number of desired pods/,
    );
    // Refs point into the document itself, and no OpenAPI-only keyword is left.
    const text = JSON.stringify(schema);
    expect(text).not.toContain('#/components/schemas/');
    expect(text).not.toContain('x-kubernetes-');
    expect(text).not.toContain('"int32"');
  });

  it('holds only what the kinds reach', () => {
    const all = collectComponentSchemas(documents);
    const kept = Object.keys(schema.definitions as object);
    expect(kept.length).toBeLessThan(all.size);
    expect(kept).not.toContain('io.k8s.api.apps.v1.DeploymentList');
  });

  it('names kinds the cluster does not serve, and refuses documents that are not OpenAPI v3', () => {
    const built = buildManifestSchema(documents, [
      ...MANIFEST_KINDS,
      { group: 'batch', version: 'v1', kind: 'CronJob' },
    ]);
    expect(built.missingKinds).toEqual([{ group: 'batch', version: 'v1', kind: 'CronJob' }]);
    expect(() => buildManifestSchema([{ swagger: '2.0' }])).toThrow(SchemaSourceError);
  });
});

describe('schema cache against a running cluster', () => {
  let cluster: EmbeddedCluster;
  beforeAll(async () => {
    cluster = await startEmbeddedCluster();
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('reads the OpenAPI with the kubeconfig, builds once, and serves the same text after', async () => {
    const cache = createSchemaCache();
    const kubeconfig = cluster.adminKubeconfig('default');
    const first = await cache.get(kubeconfig);
    const second = await cache.get(kubeconfig);
    expect(second).toBe(first);
    const served = JSON.parse(first.json) as Record<string, unknown>;
    expect(served).toEqual(JSON.parse(JSON.stringify(schema)));
    expect(first.etag).toMatch(/^"[\w-]{22}"$/);
  });
});
