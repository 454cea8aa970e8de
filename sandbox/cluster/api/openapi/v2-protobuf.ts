/**
 * The Swagger 2.0 document served at `GET /openapi/v2`. kubectl 1.27 and 1.28 ask for it as
 * protobuf (`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`): the `Document`
 * message of gnostic's `openapiv2/OpenAPIv2.proto`. They parse every definition (a `$ref` that
 * does not resolve fails the whole apply), map kinds to schemas through the definitions'
 * `x-kubernetes-group-version-kind`, and look for the `fieldValidation` parameter on each kind's
 * PATCH operation to decide that the server validates fields.
 *
 * The JSON form is built first; the protobuf is an encoding of that JSON, field by field. Both
 * are built once and cached.
 */
import { createHash } from 'node:crypto';
import type { Json, JsonObject } from '../objects.ts';
import {
  listGroupVersionSpecs,
  OPENAPI_INFO_VERSION,
  type OperationSpec,
  operationDefinitions,
  type ParameterSpec,
} from './operations.ts';
import { ProtoWriter } from './protobuf-wire.ts';
import { refTo, renderDefinition } from './render-schema.ts';
import { collectDefinitions } from './schema.ts';

/** The media type kubectl 1.27/1.28 ask for (`Accept`). */
export const OPENAPI_V2_PROTOBUF_MEDIA_TYPE = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/**
 * The `Content-Type` to answer protobuf with. Not the requested type: Go's mime parser rejects
 * the `@` in it (kubectl then fails with `mime: unexpected content after media subtype`), so
 * kube-apiserver answers with a dot instead.
 */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

const PROTOBUF_SUBTYPES = new Set([
  'com.github.proto-openapi.spec.v2@v1.0+protobuf',
  'com.github.proto-openapi.spec.v2.v1.0+protobuf',
]);

/**
 * Which form of `/openapi/v2` an `Accept` header wants: the acceptable type with the highest `q`,
 * the first listed on a tie; a missing header means JSON. Undefined means nothing we serve fits
 * (answer 406 Not Acceptable).
 */
export function negotiateOpenApiV2Format(accept: string | undefined): 'json' | 'protobuf' | undefined {
  if (accept === undefined || accept.trim() === '') return 'json';
  let best: { format: 'json' | 'protobuf'; q: number } | undefined;
  for (const entry of accept.split(',')) {
    const [mediaType = '', ...parameters] = entry.split(';').map((part) => part.trim());
    const qParameter = parameters.find((p) => p.startsWith('q='));
    const q = qParameter ? Number(qParameter.slice(2)) : 1;
    if (!(q > 0)) continue;
    const [type = '', subtype = ''] = mediaType.toLowerCase().split('/');
    let format: 'json' | 'protobuf' | undefined;
    if (type === 'application' && PROTOBUF_SUBTYPES.has(subtype)) format = 'protobuf';
    else if (
      (type === 'application' && (subtype === 'json' || subtype === '*')) ||
      (type === '*' && subtype === '*')
    )
      format = 'json';
    if (format && (!best || q > best.q)) best = { format, q };
  }
  return best?.format;
}

function renderParameter(parameter: ParameterSpec): JsonObject {
  const rendered: JsonObject = {
    uniqueItems: true,
    type: parameter.type,
    description: parameter.description,
    name: parameter.name,
    in: parameter.in,
  };
  if (parameter.required) rendered.required = true;
  return rendered;
}

function renderOperation(operation: OperationSpec): JsonObject {
  const parameters: JsonObject[] = [];
  if (operation.body) {
    parameters.push({
      name: 'body',
      in: 'body',
      required: true,
      schema: { $ref: refTo(operation.body.definition, 'v2') },
    });
  }
  parameters.push(...operation.parameters.map(renderParameter));
  const responses: JsonObject = {};
  for (const response of operation.responses) {
    responses[response.code] = response.definition
      ? { description: response.description, schema: { $ref: refTo(response.definition, 'v2') } }
      : { description: response.description };
  }
  responses['401'] = { description: 'Unauthorized' };
  return {
    description: operation.description,
    consumes: operation.body?.consumes ?? ['*/*'],
    produces: ['application/json'],
    schemes: ['https'],
    tags: [operation.tag],
    operationId: operation.operationId,
    parameters,
    responses,
    'x-kubernetes-action': operation.action,
    'x-kubernetes-group-version-kind': {
      group: operation.gvk.group,
      kind: operation.gvk.kind,
      version: operation.gvk.version,
    },
  };
}

function buildV2Document(): JsonObject {
  const paths: JsonObject = {};
  const roots = new Set<string>();
  for (const spec of listGroupVersionSpecs()) {
    for (const path of spec.paths) {
      const item: JsonObject = {};
      for (const operation of path.operations) {
        item[operation.method] = renderOperation(operation);
        for (const name of operationDefinitions(operation)) roots.add(name);
      }
      item.parameters = path.parameters.map(renderParameter);
      paths[path.path] = item;
    }
  }
  const definitions: JsonObject = {};
  for (const definition of collectDefinitions(roots))
    definitions[definition.name] = renderDefinition(definition, 'v2');
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: OPENAPI_INFO_VERSION },
    paths,
    definitions,
    securityDefinitions: {
      BearerToken: {
        description: 'Bearer Token authentication',
        type: 'apiKey',
        name: 'authorization',
        in: 'header',
      },
    },
    security: [{ BearerToken: [] }],
  };
}

// ---- JSON → gnostic protobuf, message by message (field numbers from OpenAPIv2.proto) ----

function asObject(value: Json | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function asString(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function asStrings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `Any { string yaml = 2; }`: kube-openapi reads extension values back with a YAML parser, and JSON is YAML. */
function encodeAny(value: Json): ProtoWriter {
  return new ProtoWriter().string(2, `${JSON.stringify(value)}\n`);
}

/** `NamedAny { name = 1; Any value = 2; }` for every `x-` key of an object. */
function writeVendorExtensions(writer: ProtoWriter, fieldNumber: number, object: JsonObject): void {
  for (const [key, value] of Object.entries(object)) {
    if (!key.startsWith('x-')) continue;
    writer.message(fieldNumber, new ProtoWriter().string(1, key).message(2, encodeAny(value)));
  }
}

/** `Schema`: $ref 1, format 2, description 4, required 19, additionalProperties 21, type 22, items 23, allOf 24, properties 25, x- 31. */
function encodeSchema(schema: JsonObject): ProtoWriter {
  const writer = new ProtoWriter();
  writer.string(1, asString(schema.$ref));
  writer.string(2, asString(schema.format));
  writer.string(3, asString(schema.title));
  writer.string(4, asString(schema.description));
  writer.bool(16, schema.uniqueItems === true);
  writer.strings(19, asStrings(schema.required));
  const additional = asObject(schema.additionalProperties);
  if (additional) writer.message(21, new ProtoWriter().message(1, encodeSchema(additional)));
  const type = asString(schema.type);
  if (type) writer.message(22, new ProtoWriter().strings(1, [type]));
  const items = asObject(schema.items);
  if (items) writer.message(23, new ProtoWriter().message(1, encodeSchema(items)));
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) {
    const partObject = asObject(part);
    if (partObject) writer.message(24, encodeSchema(partObject));
  }
  const properties = asObject(schema.properties);
  if (properties) {
    const propertiesWriter = new ProtoWriter();
    for (const [name, value] of Object.entries(properties)) {
      const propertySchema = asObject(value);
      if (!propertySchema) continue;
      propertiesWriter.message(1, new ProtoWriter().string(1, name).message(2, encodeSchema(propertySchema)));
    }
    writer.message(25, propertiesWriter);
  }
  writeVendorExtensions(writer, 31, schema);
  return writer;
}

/**
 * Encoded parameters and responses by their JSON text: the same dozen recur in hundreds of
 * operations, and an encoded message can be embedded any number of times.
 */
type EncodingMemo = Map<string, ProtoWriter>;

function memoized(
  memo: EncodingMemo,
  value: JsonObject,
  encode: (value: JsonObject) => ProtoWriter,
): ProtoWriter {
  const key = JSON.stringify(value);
  let encoded = memo.get(key);
  if (!encoded) {
    encoded = encode(value);
    memo.set(key, encoded);
  }
  return encoded;
}

/**
 * `ParametersItem { Parameter parameter = 1; }` → `Parameter { BodyParameter body_parameter = 1;
 * NonBodyParameter non_body_parameter = 2; }`. Query and path parameters number their fields
 * differently (a query parameter has allow_empty_value at 5, a path parameter does not).
 */
function encodeParameter(parameter: JsonObject): ProtoWriter {
  const where = asString(parameter.in);
  let inner: ProtoWriter;
  if (where === 'body') {
    const body = new ProtoWriter()
      .string(1, asString(parameter.description))
      .string(2, asString(parameter.name))
      .string(3, where)
      .bool(4, parameter.required === true);
    const schema = asObject(parameter.schema);
    if (schema) body.message(5, encodeSchema(schema));
    inner = new ProtoWriter().message(1, body);
  } else if (where === 'path') {
    const path = new ProtoWriter()
      .bool(1, parameter.required === true)
      .string(2, where)
      .string(3, asString(parameter.description))
      .string(4, asString(parameter.name))
      .string(5, asString(parameter.type))
      .bool(19, parameter.uniqueItems === true);
    inner = new ProtoWriter().message(2, new ProtoWriter().message(4, path));
  } else {
    const query = new ProtoWriter()
      .bool(1, parameter.required === true)
      .string(2, where)
      .string(3, asString(parameter.description))
      .string(4, asString(parameter.name))
      .string(6, asString(parameter.type))
      .bool(20, parameter.uniqueItems === true);
    inner = new ProtoWriter().message(2, new ProtoWriter().message(3, query));
  }
  return new ProtoWriter().message(1, inner);
}

/** `Responses { repeated NamedResponseValue response_code = 1; }`, each a `Response` with a `SchemaItem`. */
function encodeResponses(responses: JsonObject): ProtoWriter {
  const writer = new ProtoWriter();
  for (const [code, value] of Object.entries(responses)) {
    const response = asObject(value);
    if (!response) continue;
    const responseWriter = new ProtoWriter().string(1, asString(response.description));
    const schema = asObject(response.schema);
    if (schema) responseWriter.message(2, new ProtoWriter().message(1, encodeSchema(schema)));
    const responseValue = new ProtoWriter().message(1, responseWriter);
    writer.message(1, new ProtoWriter().string(1, code).message(2, responseValue));
  }
  return writer;
}

/** `Operation`: tags 1, description 3, operationId 5, produces 6, consumes 7, parameters 8, responses 9, schemes 10, x- 13. */
function encodeOperation(operation: JsonObject, memo: EncodingMemo): ProtoWriter {
  const writer = new ProtoWriter()
    .strings(1, asStrings(operation.tags))
    .string(3, asString(operation.description))
    .string(5, asString(operation.operationId))
    .strings(6, asStrings(operation.produces))
    .strings(7, asStrings(operation.consumes));
  for (const parameter of Array.isArray(operation.parameters) ? operation.parameters : []) {
    const parameterObject = asObject(parameter);
    if (parameterObject) writer.message(8, memoized(memo, parameterObject, encodeParameter));
  }
  const responses = asObject(operation.responses);
  if (responses) writer.message(9, memoized(memo, responses, encodeResponses));
  writer.strings(10, asStrings(operation.schemes));
  writeVendorExtensions(writer, 13, operation);
  return writer;
}

const PATH_ITEM_FIELDS: Readonly<Record<string, number>> = {
  get: 2,
  put: 3,
  post: 4,
  delete: 5,
  options: 6,
  head: 7,
  patch: 8,
};

/** `PathItem`: one field per method, shared parameters at 9. */
function encodePathItem(item: JsonObject, memo: EncodingMemo): ProtoWriter {
  const writer = new ProtoWriter();
  for (const [method, fieldNumber] of Object.entries(PATH_ITEM_FIELDS)) {
    const operation = asObject(item[method]);
    if (operation) writer.message(fieldNumber, encodeOperation(operation, memo));
  }
  for (const parameter of Array.isArray(item.parameters) ? item.parameters : []) {
    const parameterObject = asObject(parameter);
    if (parameterObject) writer.message(9, memoized(memo, parameterObject, encodeParameter));
  }
  writeVendorExtensions(writer, 10, item);
  return writer;
}

/** `Document`: swagger 1, info 2, paths 8, definitions 9, x- 16. */
function encodeDocument(document: JsonObject): Uint8Array {
  const writer = new ProtoWriter().string(1, asString(document.swagger));
  const info = asObject(document.info);
  if (info) {
    writer.message(2, new ProtoWriter().string(1, asString(info.title)).string(2, asString(info.version)));
  }
  const paths = asObject(document.paths);
  if (paths) {
    const pathsWriter = new ProtoWriter();
    const memo: EncodingMemo = new Map();
    for (const [path, value] of Object.entries(paths)) {
      const item = asObject(value);
      if (item)
        pathsWriter.message(2, new ProtoWriter().string(1, path).message(2, encodePathItem(item, memo)));
    }
    writer.message(8, pathsWriter);
  }
  const definitions = asObject(document.definitions);
  if (definitions) {
    const definitionsWriter = new ProtoWriter();
    for (const [name, value] of Object.entries(definitions)) {
      const schema = asObject(value);
      if (schema)
        definitionsWriter.message(1, new ProtoWriter().string(1, name).message(2, encodeSchema(schema)));
    }
    writer.message(9, definitionsWriter);
  }
  writeVendorExtensions(writer, 16, document);
  return writer.finish();
}

let cachedJson: { document: JsonObject; text: string; etag: string } | undefined;
let cachedProtobuf: { bytes: Uint8Array; etag: string } | undefined;

function getCachedJson(): { document: JsonObject; text: string; etag: string } {
  if (!cachedJson) {
    const document = buildV2Document();
    const text = JSON.stringify(document);
    cachedJson = { document, text, etag: createHash('sha512').update(text).digest('hex').toUpperCase() };
  }
  return cachedJson;
}

/** The Swagger 2.0 document as JSON (for `Accept: application/json`). */
export function getOpenApiV2Json(): JsonObject {
  return getCachedJson().document;
}

/** The same document serialized, with a strong ETag for `If-None-Match`. */
export function getOpenApiV2JsonText(): { text: string; etag: string } {
  const { text, etag } = getCachedJson();
  return { text, etag };
}

/** The document as a gnostic `openapi.v2.Document` protobuf message (kubectl 1.27/1.28). */
export function getOpenApiV2Protobuf(): Uint8Array {
  return getOpenApiV2ProtobufWithEtag().bytes;
}

/** The protobuf bytes with a strong ETag. */
export function getOpenApiV2ProtobufWithEtag(): { bytes: Uint8Array; etag: string } {
  if (!cachedProtobuf) {
    const bytes = encodeDocument(getCachedJson().document);
    cachedProtobuf = { bytes, etag: createHash('sha512').update(bytes).digest('hex').toUpperCase() };
  }
  return cachedProtobuf;
}
