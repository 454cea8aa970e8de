import { describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '../../../sandbox/cluster/api/objects.ts';
import { serveOpenApi } from '../../../sandbox/cluster/api/openapi/index.ts';
import { ProtoWriter, readFields, readVarint } from '../../../sandbox/cluster/api/openapi/protobuf-wire.ts';
import {
  getOpenApiV2Json,
  getOpenApiV2Protobuf,
  negotiateOpenApiV2Format,
  OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
} from '../../../sandbox/cluster/api/openapi/v2-protobuf.ts';
import { getOpenApiV3Document, getOpenApiV3Index } from '../../../sandbox/cluster/api/openapi/v3.ts';

function collectRefs(value: Json, found: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.add(child);
      else collectRefs(child, found);
    }
  }
  return found;
}

const PATCH_OPERATIONS_WITHOUT_FIELD_VALIDATION = (paths: JsonObject): string[] =>
  Object.entries(paths).flatMap(([path, item]) => {
    const patch = (item as JsonObject).patch as JsonObject | undefined;
    if (!patch) return [];
    const names = (patch.parameters as JsonObject[]).map((p) => p.name);
    const gvk = patch['x-kubernetes-group-version-kind'] as JsonObject | undefined;
    return names.includes('fieldValidation') && gvk?.kind ? [] : [path];
  });

const indexPaths = Object.keys((getOpenApiV3Index().paths ?? {}) as JsonObject);

describe('OpenAPI v3', () => {
  it('indexes every served group-version with a hashed URL', () => {
    expect(indexPaths).toEqual([
      'api/v1',
      'apis/apps/v1',
      'apis/rbac.authorization.k8s.io/v1',
      'apis/apiextensions.k8s.io/v1',
      'apis/events.k8s.io/v1',
      'apis/authorization.k8s.io/v1',
    ]);
    const entry = (getOpenApiV3Index().paths as JsonObject)['apis/apps/v1'] as JsonObject;
    expect(entry.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  });

  it.each(indexPaths)('%s: every $ref resolves inside the document', (path) => {
    const document = getOpenApiV3Document(path)!;
    const schemas = (document.components as JsonObject).schemas as JsonObject;
    const missing = [...collectRefs(document, new Set())].filter(
      (ref) =>
        !ref.startsWith('#/components/schemas/') || !(ref.slice('#/components/schemas/'.length) in schemas),
    );
    expect(missing).toEqual([]);
  });

  it.each(indexPaths)('%s: every PATCH declares fieldValidation and its GVK', (path) => {
    const paths = getOpenApiV3Document(path)!.paths as JsonObject;
    expect(PATCH_OPERATIONS_WITHOUT_FIELD_VALIDATION(paths)).toEqual([]);
  });

  it('gives kubectl explain the GVK on the GET of a resource path and on the schema', () => {
    const document = getOpenApiV3Document('/openapi/v3/apis/apps/v1?hash=whatever')!;
    const item = (document.paths as JsonObject)[
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}'
    ] as JsonObject;
    expect((item.get as JsonObject)['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      kind: 'Deployment',
      version: 'v1',
    });
    const schema = ((document.components as JsonObject).schemas as JsonObject)[
      'io.k8s.api.apps.v1.Deployment'
    ] as JsonObject;
    expect(schema['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
  });

  it('writes IntOrString and Quantity as upstream does in OpenAPI 3', () => {
    const schemas = (getOpenApiV3Document('api/v1')!.components as JsonObject).schemas as JsonObject;
    expect(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({
      format: 'int-or-string',
      oneOf: [{ type: 'integer' }, { type: 'string' }],
    });
    expect(schemas['io.k8s.apimachinery.pkg.api.resource.Quantity']).toMatchObject({
      oneOf: [{ type: 'string' }, { type: 'number' }],
    });
    const podSpec = schemas['io.k8s.api.core.v1.PodSpec'] as JsonObject;
    expect((podSpec.properties as JsonObject).containers).toMatchObject({
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
  });

  it('is undefined for group-versions not served', () => {
    expect(getOpenApiV3Document('apis/batch/v1')).toBeUndefined();
  });
});

describe('OpenAPI v2', () => {
  const document = getOpenApiV2Json();
  const definitions = document.definitions as JsonObject;

  it('resolves every $ref to a definition', () => {
    const missing = [...collectRefs(document, new Set())].filter(
      (ref) => !ref.startsWith('#/definitions/') || !(ref.slice('#/definitions/'.length) in definitions),
    );
    expect(missing).toEqual([]);
  });

  it('declares fieldValidation and the GVK on every PATCH', () => {
    expect(PATCH_OPERATIONS_WITHOUT_FIELD_VALIDATION(document.paths as JsonObject)).toEqual([]);
  });

  it('writes IntOrString as a string format, as Swagger 2.0 cannot say oneOf', () => {
    expect(definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({
      type: 'string',
      format: 'int-or-string',
    });
  });
});

describe('OpenAPI v2 as gnostic protobuf', () => {
  const bytes = getOpenApiV2Protobuf();
  const text = new TextDecoder();
  const documentFields = readFields(bytes);

  it('is cached', () => {
    expect(getOpenApiV2Protobuf()).toBe(bytes);
  });

  it('starts with swagger = "2.0" (field 1) and info (field 2)', () => {
    expect(documentFields[0]).toMatchObject({ fieldNumber: 1 });
    expect(text.decode(documentFields[0]!.bytes)).toBe('2.0');
    const info = readFields(documentFields.find((f) => f.fieldNumber === 2)!.bytes!);
    expect(text.decode(info.find((f) => f.fieldNumber === 1)!.bytes)).toBe('Kubernetes');
  });

  it('carries one NamedSchema per JSON definition, with the GVK as YAML vendor extension', () => {
    const definitionsField = documentFields.find((f) => f.fieldNumber === 9)!;
    const named = readFields(definitionsField.bytes!).filter((f) => f.fieldNumber === 1);
    expect(named.length).toBe(Object.keys(getOpenApiV2Json().definitions as JsonObject).length);
    const deployment = named
      .map((f) => readFields(f.bytes!))
      .find(
        (fields) =>
          text.decode(fields.find((f) => f.fieldNumber === 1)!.bytes) === 'io.k8s.api.apps.v1.Deployment',
      )!;
    const schema = readFields(deployment.find((f) => f.fieldNumber === 2)!.bytes!);
    const extension = readFields(schema.find((f) => f.fieldNumber === 31)!.bytes!);
    expect(text.decode(extension.find((f) => f.fieldNumber === 1)!.bytes)).toBe(
      'x-kubernetes-group-version-kind',
    );
    const any = readFields(extension.find((f) => f.fieldNumber === 2)!.bytes!);
    expect(JSON.parse(text.decode(any.find((f) => f.fieldNumber === 2)!.bytes))).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
  });
});

describe('protobuf wire encoding', () => {
  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [2 ** 32, [0x80, 0x80, 0x80, 0x80, 0x10]],
  ])('varint %d', (value, expected) => {
    const writer = new ProtoWriter();
    writer.writeVarint(value);
    const bytes = writer.finish();
    expect([...bytes]).toEqual(expected);
    expect(readVarint(bytes, 0)).toEqual({ value, next: expected.length });
  });

  it('writes a string field as tag, length, bytes and skips proto3 defaults', () => {
    const bytes = new ProtoWriter().string(1, '2.0').string(2, '').bool(3, false).bool(4, true).finish();
    expect([...bytes]).toEqual([0x0a, 0x03, 0x32, 0x2e, 0x30, 0x20, 0x01]);
  });

  it('keeps an empty embedded message: presence tells "object with no properties" apart', () => {
    expect([...new ProtoWriter().message(25, new Uint8Array()).finish()]).toEqual([0xca, 0x01, 0x00]);
  });
});

describe('serving', () => {
  it.each([
    ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'protobuf'],
    ['application/com.github.proto-openapi.spec.v2.v1.0+protobuf, application/json', 'protobuf'],
    ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf;q=0.5, application/json', 'json'],
    ['application/json', 'json'],
    ['*/*', 'json'],
    [undefined, 'json'],
    ['text/html', undefined],
  ])('Accept %j gets %j', (accept, format) => {
    expect(negotiateOpenApiV2Format(accept)).toBe(format);
  });

  it('answers protobuf with the dotted content type Go can parse', () => {
    const response = serveOpenApi(
      '/openapi/v2',
      'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
    );
    expect(response?.contentType).toBe(OPENAPI_V2_PROTOBUF_CONTENT_TYPE);
    expect(response?.contentType).not.toContain('@');
    expect(response?.body).toBeInstanceOf(Uint8Array);
  });

  it('serves the v3 index and documents as JSON text', () => {
    const index = serveOpenApi('/openapi/v3', 'application/json');
    const url = ((JSON.parse(index!.body as string).paths as JsonObject)['api/v1'] as JsonObject)
      .serverRelativeURL as string;
    const document = serveOpenApi(url.split('?')[0]!, 'application/json');
    expect(JSON.parse(document!.body as string).openapi).toBe('3.0.0');
    expect(serveOpenApi('/openapi/v3/apis/batch/v1', 'application/json')).toBeUndefined();
  });
});
