/**
 * Turns schema definitions into OpenAPI schema objects, in either dialect kubectl reads: Swagger
 * 2.0 (`#/definitions/...`) for kubectl 1.27/1.28 and OpenAPI 3.0 (`#/components/schemas/...`) for
 * 1.29 and later. The dialects differ only in how refs are written and in the scalar types:
 * OpenAPI 3 can say "integer or string" with `oneOf`, Swagger 2.0 writes it as a string format.
 */
import type { JsonObject } from '../objects.ts';
import type { Definition, FieldSchema, GroupVersionKind, SchemaType } from './schema.ts';

/** Which OpenAPI dialect to render. */
export type OpenApiDialect = 'v2' | 'v3';

/** `#/definitions/NAME` in Swagger 2.0, `#/components/schemas/NAME` in OpenAPI 3. */
export function refTo(name: string, dialect: OpenApiDialect): string {
  return dialect === 'v2' ? `#/definitions/${name}` : `#/components/schemas/${name}`;
}

/** A type as an OpenAPI schema, with no description. */
export function renderType(type: SchemaType, dialect: OpenApiDialect): JsonObject {
  switch (type.type) {
    case 'string':
      return type.format ? { type: 'string', format: type.format } : { type: 'string' };
    case 'integer':
      return { type: 'integer', format: type.format };
    case 'number':
      return { type: 'number', format: type.format };
    case 'boolean':
      return { type: 'boolean' };
    case 'array':
      return { type: 'array', items: renderType(type.items, dialect) };
    case 'map':
      return { type: 'object', additionalProperties: renderType(type.values, dialect) };
    case 'ref':
      return { $ref: refTo(type.name, dialect) };
    case 'any':
      return {};
  }
}

/**
 * A field's schema: its type plus description and patch extensions. OpenAPI 3 ignores siblings of
 * `$ref`, so there a described ref is wrapped in `allOf` as upstream does; Swagger 2.0 (and the
 * gnostic parser kubectl uses for it) accepts them beside `$ref`.
 */
export function renderField(field: FieldSchema, dialect: OpenApiDialect): JsonObject {
  const base = renderType(field.type, dialect);
  const extras: JsonObject = {};
  if (field.description) extras.description = field.description;
  if (field.patchMergeKey) extras['x-kubernetes-patch-merge-key'] = field.patchMergeKey;
  if (field.patchStrategy) extras['x-kubernetes-patch-strategy'] = field.patchStrategy;
  if (Object.keys(extras).length === 0) return base;
  if (field.type.type === 'ref' && dialect === 'v3') return { allOf: [base], ...extras };
  return { ...base, ...extras };
}

function gvkExtension(gvks: readonly GroupVersionKind[]): JsonObject[] {
  return gvks.map((gvk) => ({ group: gvk.group, kind: gvk.kind, version: gvk.version }));
}

function renderScalarDefinition(definition: Definition, dialect: OpenApiDialect): JsonObject {
  switch (definition.shape) {
    case 'intOrString':
      return dialect === 'v3'
        ? { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] }
        : { type: 'string', format: 'int-or-string' };
    case 'quantity':
      return dialect === 'v3' ? { oneOf: [{ type: 'string' }, { type: 'number' }] } : { type: 'string' };
    case 'time':
    case 'microTime':
      return { type: 'string', format: 'date-time' };
    default:
      return { type: 'object' };
  }
}

/** A definition as an entry of `definitions` (v2) or `components.schemas` (v3). */
export function renderDefinition(definition: Definition, dialect: OpenApiDialect): JsonObject {
  const rendered: JsonObject = {};
  if (definition.description) rendered.description = definition.description;
  if (definition.shape !== 'object') return { ...rendered, ...renderScalarDefinition(definition, dialect) };
  rendered.type = 'object';
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const field of definition.fields.values()) {
    properties[field.name] = renderField(field, dialect);
    if (field.required) required.push(field.name);
  }
  rendered.properties = properties;
  if (required.length > 0) rendered.required = required;
  if (definition.gvk) rendered['x-kubernetes-group-version-kind'] = gvkExtension(definition.gvk);
  return rendered;
}
