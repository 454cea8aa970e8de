/**
 * Builds the editor's JSON Schema for Kubernetes manifests from the OpenAPI v3 documents the
 * cluster itself serves (`/openapi/v3/api/v1`, `/openapi/v3/apis/apps/v1`), so the editor checks a
 * manifest against exactly the schema `kubectl apply` will meet, on whichever backend.
 *
 * The result is one draft-07 document: `definitions` holds every schema the chosen kinds reach
 * (refs rewritten from `#/components/schemas/X` to `#/definitions/X`), and the root picks a kind's
 * schema by `apiVersion` and `kind` with `if`/`then`. Two changes to the served schemas, both to
 * match what the API server does rather than what OpenAPI can say:
 *
 * - objects with declared properties get `additionalProperties: false`, because the server
 *   decodes strictly (`kubectl apply` sends `fieldValidation=Strict`): `replicass` is an error
 *   there, so the editor marks it too;
 * - `x-kubernetes-*` extensions and OpenAPI-only formats (`int32`, `int-or-string`, …) are dropped:
 *   the YAML language server does not know them, and they only add weight.
 *
 * Pure: the caller fetches the documents.
 */

/** A kind the editor knows, by its group-version-kind. */
export interface ManifestKind {
  group: string;
  version: string;
  kind: string;
}

/** The kinds of chapter 9 (and the ones a learner meets around them). */
export const MANIFEST_KINDS: readonly ManifestKind[] = [
  { group: 'apps', version: 'v1', kind: 'Deployment' },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet' },
  { group: 'apps', version: 'v1', kind: 'DaemonSet' },
  { group: 'apps', version: 'v1', kind: 'StatefulSet' },
  { group: '', version: 'v1', kind: 'Service' },
  { group: '', version: 'v1', kind: 'ConfigMap' },
  { group: '', version: 'v1', kind: 'Secret' },
  { group: '', version: 'v1', kind: 'Pod' },
  { group: '', version: 'v1', kind: 'Namespace' },
  { group: '', version: 'v1', kind: 'ServiceAccount' },
];

/** The OpenAPI v3 paths whose documents hold MANIFEST_KINDS, relative to the API server. */
export const OPENAPI_V3_PATHS: readonly string[] = ['/openapi/v3/api/v1', '/openapi/v3/apis/apps/v1'];

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

/** A document that is not an OpenAPI v3 document with component schemas. */
export class SchemaSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaSourceError';
  }
}

/** Formats JSON Schema draft-07 validators know; others are OpenAPI's and are dropped. */
const KEPT_FORMATS = new Set(['date-time']);

const COMPONENT_REF = '#/components/schemas/';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `apps/v1` or `v1` for the core group. */
export function apiVersionOf(kind: ManifestKind): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

/** The component schemas of several OpenAPI v3 documents, merged by name. */
export function collectComponentSchemas(documents: readonly unknown[]): Map<string, JsonObject> {
  const schemas = new Map<string, JsonObject>();
  for (const [index, document] of documents.entries()) {
    const components = isObject(document) && isObject(document.components) ? document.components : undefined;
    if (!components || !isObject(components.schemas))
      throw new SchemaSourceError(`OpenAPI document ${index + 1} has no components.schemas`);
    for (const [name, schema] of Object.entries(components.schemas))
      if (isObject(schema)) schemas.set(name, schema);
  }
  return schemas;
}

/** The definition name of the schema declaring `x-kubernetes-group-version-kind` = `kind`. */
export function findKindDefinition(schemas: Map<string, JsonObject>, kind: ManifestKind): string | undefined {
  for (const [name, schema] of schemas) {
    const gvks = schema['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    if (
      gvks.some(
        (gvk) =>
          isObject(gvk) && gvk.group === kind.group && gvk.version === kind.version && gvk.kind === kind.kind,
      )
    )
      return name;
  }
  return undefined;
}

/** Converts one OpenAPI schema to draft-07, recording the definitions it refers to. */
function convert(schema: JsonValue, refs: Set<string>): JsonValue {
  if (Array.isArray(schema)) return schema.map((item) => convert(item, refs));
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-')) continue;
    if (key === 'format') {
      if (typeof value === 'string' && KEPT_FORMATS.has(value)) out.format = value;
      continue;
    }
    if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT_REF)) {
      const name = value.slice(COMPONENT_REF.length);
      refs.add(name);
      out.$ref = `#/definitions/${name}`;
      continue;
    }
    if (key === 'properties' && isObject(value)) {
      const properties: JsonObject = {};
      for (const [field, fieldSchema] of Object.entries(value))
        properties[field] = convert(fieldSchema, refs);
      out.properties = properties;
      continue;
    }
    // `default` and `example` are data, not schemas.
    out[key] = key === 'default' || key === 'example' || key === 'enum' ? value : convert(value, refs);
  }
  if (isObject(out.properties) && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** What `buildManifestSchema` made, and which kinds it could not find in the documents. */
export interface ManifestSchema {
  schema: JsonObject;
  missingKinds: ManifestKind[];
}

/**
 * One JSON Schema for manifests of `kinds`, from the cluster's OpenAPI v3 documents. A kind the
 * documents do not declare is left out (and named in `missingKinds`): the cluster does not serve it.
 */
export function buildManifestSchema(
  documents: readonly unknown[],
  kinds: readonly ManifestKind[] = MANIFEST_KINDS,
): ManifestSchema {
  const schemas = collectComponentSchemas(documents);
  const definitions: JsonObject = {};
  const pending: string[] = [];
  const found: { kind: ManifestKind; definition: string }[] = [];
  const missingKinds: ManifestKind[] = [];
  for (const kind of kinds) {
    const definition = findKindDefinition(schemas, kind);
    if (definition === undefined) missingKinds.push(kind);
    else {
      found.push({ kind, definition });
      pending.push(definition);
    }
  }
  // Only what the kinds reach: the documents also describe every List, option and status type.
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (Object.hasOwn(definitions, name)) continue;
    const source = schemas.get(name);
    if (!source) {
      definitions[name] = {};
      continue;
    }
    const refs = new Set<string>();
    definitions[name] = convert(source, refs);
    for (const ref of refs) if (!Object.hasOwn(definitions, ref)) pending.push(ref);
  }
  for (const { definition } of found) {
    // A manifest names its kind: these two are required, whatever the served schema says.
    const entry = definitions[definition] as JsonObject;
    const required = Array.isArray(entry.required) ? entry.required.filter((r) => typeof r === 'string') : [];
    entry.required = [...new Set(['apiVersion', 'kind', ...required])];
  }

  const apiVersions = [...new Set(found.map(({ kind }) => apiVersionOf(kind)))];
  const kindNames = [...new Set(found.map(({ kind }) => kind.kind))];
  const schema: JsonObject = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Kubernetes manifest',
    description: `A Kubernetes object: ${kindNames.join(', ')}. Built from the cluster's OpenAPI v3.`,
    type: 'object',
    required: ['apiVersion', 'kind'],
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'The API group and version of the object, e.g. apps/v1 for a Deployment, v1 for a Service.',
        enum: apiVersions,
      },
      kind: { type: 'string', description: 'The type of object.', enum: kindNames },
    },
    allOf: found.map(({ kind, definition }) => ({
      if: {
        properties: { apiVersion: { const: apiVersionOf(kind) }, kind: { const: kind.kind } },
        required: ['apiVersion', 'kind'],
      },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited.
      then: { $ref: `#/definitions/${definition}` },
    })),
    definitions,
  };
  return { schema, missingKinds };
}
