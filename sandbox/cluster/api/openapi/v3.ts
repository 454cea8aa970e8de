/**
 * The OpenAPI v3 documents the API server serves: `GET /openapi/v3` (an index of group-versions)
 * and `GET /openapi/v3/api/v1`, `/openapi/v3/apis/apps/v1`, ... kubectl 1.29+ reads them to decide
 * whether the server validates fields (it then sends `?fieldValidation=Strict`), for `kubectl
 * explain`, and for strategic-merge-patch metadata. Each document is built once and cached with
 * its serialized text and hash, so serving it is a map lookup.
 */
import { createHash } from 'node:crypto';
import type { JsonObject } from '../objects.ts';
import {
  type GroupVersionSpec,
  listGroupVersionSpecs,
  OPENAPI_INFO_VERSION,
  type OperationSpec,
  operationDefinitions,
  type ParameterSpec,
  type PathSpec,
} from './operations.ts';
import { refTo, renderDefinition } from './render-schema.ts';
import { collectDefinitions } from './schema.ts';

/** A document ready to send: parsed form, JSON text and the hash the index advertises. */
export interface CachedDocument {
  document: JsonObject;
  /** The exact bytes to send, as UTF-8 text. */
  json: string;
  /** Upper-case hex SHA-512 of `json`, as in `?hash=` and a strong ETag. */
  hash: string;
}

function renderParameter(parameter: ParameterSpec): JsonObject {
  const rendered: JsonObject = {
    name: parameter.name,
    in: parameter.in,
    description: parameter.description,
    schema: { type: parameter.type, uniqueItems: true },
  };
  if (parameter.required) rendered.required = true;
  return rendered;
}

function content(mediaTypes: readonly string[], definition: string): JsonObject {
  const entries: JsonObject = {};
  for (const mediaType of mediaTypes) entries[mediaType] = { schema: { $ref: refTo(definition, 'v3') } };
  return entries;
}

/** Only JSON: the embedded API server answers in nothing else. */
const RESPONSE_MEDIA_TYPES = ['application/json'];

function renderOperation(operation: OperationSpec): JsonObject {
  const responses: JsonObject = {};
  for (const response of operation.responses) {
    responses[response.code] = response.definition
      ? { description: response.description, content: content(RESPONSE_MEDIA_TYPES, response.definition) }
      : { description: response.description };
  }
  responses['401'] = { description: 'Unauthorized' };
  const rendered: JsonObject = {
    tags: [operation.tag],
    description: operation.description,
    operationId: operation.operationId,
    parameters: operation.parameters.map(renderParameter),
    responses,
    'x-kubernetes-action': operation.action,
    'x-kubernetes-group-version-kind': {
      group: operation.gvk.group,
      kind: operation.gvk.kind,
      version: operation.gvk.version,
    },
  };
  if (operation.body) {
    rendered.requestBody = {
      content: content(operation.body.consumes, operation.body.definition),
      required: true,
    };
  }
  return rendered;
}

function renderPath(path: PathSpec): JsonObject {
  const rendered: JsonObject = {};
  for (const operation of path.operations) rendered[operation.method] = renderOperation(operation);
  rendered.parameters = path.parameters.map(renderParameter);
  return rendered;
}

function buildDocument(spec: GroupVersionSpec): JsonObject {
  const paths: JsonObject = {};
  const roots = new Set<string>();
  for (const path of spec.paths) {
    paths[path.path] = renderPath(path);
    for (const operation of path.operations)
      for (const name of operationDefinitions(operation)) roots.add(name);
  }
  const schemas: JsonObject = {};
  for (const definition of collectDefinitions(roots))
    schemas[definition.name] = renderDefinition(definition, 'v3');
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: OPENAPI_INFO_VERSION },
    paths,
    components: {
      schemas,
      securitySchemes: {
        BearerToken: {
          type: 'apiKey',
          description: 'Bearer Token authentication',
          name: 'authorization',
          in: 'header',
        },
      },
    },
    security: [{ BearerToken: [] }],
  };
}

let cachedDocuments: Map<string, CachedDocument> | undefined;

function getCachedDocuments(): Map<string, CachedDocument> {
  if (cachedDocuments) return cachedDocuments;
  const documents = new Map<string, CachedDocument>();
  for (const spec of listGroupVersionSpecs()) {
    const document = buildDocument(spec);
    const json = JSON.stringify(document);
    const hash = createHash('sha512').update(json).digest('hex').toUpperCase();
    documents.set(spec.indexPath, { document, json, hash });
  }
  cachedDocuments = documents;
  return documents;
}

/** `/openapi/v3/apis/apps/v1` or `apis/apps/v1` → `apis/apps/v1`; query strings are dropped. */
function normalizeGroupVersionPath(path: string): string {
  const withoutQuery = path.split('?')[0] ?? '';
  return withoutQuery
    .replace(/^\/+/, '')
    .replace(/^openapi\/v3\//, '')
    .replace(/\/+$/, '');
}

/**
 * The index served at `GET /openapi/v3`:
 * `{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}, ...}}`.
 */
export function getOpenApiV3Index(): JsonObject {
  const paths: JsonObject = {};
  for (const [indexPath, cached] of getCachedDocuments()) {
    paths[indexPath] = { serverRelativeURL: `/openapi/v3/${indexPath}?hash=${cached.hash}` };
  }
  return { paths };
}

/**
 * The document of one group-version, for `GET /openapi/v3/<path>`; accepts `apis/apps/v1`,
 * `/openapi/v3/apis/apps/v1?hash=...` and the like. Undefined when the group-version is not served
 * (answer 404).
 */
export function getOpenApiV3Document(groupVersionPath: string): JsonObject | undefined {
  return getCachedDocuments().get(normalizeGroupVersionPath(groupVersionPath))?.document;
}

/**
 * The same document with its JSON text and hash, so the server can send the cached bytes and, when
 * the request's `hash` matches, mark them immutable (`Cache-Control: public, immutable`).
 */
export function getOpenApiV3CachedDocument(groupVersionPath: string): CachedDocument | undefined {
  return getCachedDocuments().get(normalizeGroupVersionPath(groupVersionPath));
}
