/**
 * The OpenAPI package's entry points for the HTTP layer, shaped like `ApiServerFeatures.openapi`
 * and `ApiServerFeatures.decodeBody` so they can be plugged in as they are.
 */
import type { ResourceType } from '../resources.ts';
import { decodeStrict, type FieldValidationDirective } from './decode.ts';
import {
  getOpenApiV2JsonText,
  getOpenApiV2Protobuf,
  negotiateOpenApiV2Format,
  OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
} from './v2-protobuf.ts';
import { getOpenApiV3CachedDocument, getOpenApiV3Index } from './v3.ts';

export { decodeStrict, formatWarningHeader, parseFieldValidation, pruneUnknownFields } from './decode.ts';
export { describeField, getKindSchema } from './schema.ts';
export { getOpenApiV2Json, getOpenApiV2Protobuf } from './v2-protobuf.ts';
export { getOpenApiV3Document, getOpenApiV3Index } from './v3.ts';

/** A document to send. */
export interface OpenApiResponse {
  body: string | Uint8Array;
  contentType: string;
}

let cachedIndexText: string | undefined;

/**
 * Builds every document now rather than on the first request (about a third of a second of CPU
 * in all), for a server that would rather pay at start-up than on a learner's first `kubectl apply`.
 */
export function warmOpenApiCaches(): void {
  cachedIndexText ??= JSON.stringify(getOpenApiV3Index());
  getOpenApiV2JsonText();
  getOpenApiV2Protobuf();
}

/**
 * Answers the OpenAPI paths: `/openapi/v2` (protobuf or JSON by `Accept`), the legacy
 * `/swagger-2.0.0.pb-v1` (protobuf) and `/swagger.json`, `/openapi/v3` and
 * `/openapi/v3/<group-version>`. Undefined for anything else, or an `Accept` we cannot satisfy.
 * The query (`?hash=`) is not needed: there is one version of each document.
 */
export function serveOpenApi(
  path: string,
  accept: string | undefined,
  _query?: URLSearchParams,
): OpenApiResponse | undefined {
  if (path === '/openapi/v2') {
    const format = negotiateOpenApiV2Format(accept);
    if (format === 'protobuf')
      return { body: getOpenApiV2Protobuf(), contentType: OPENAPI_V2_PROTOBUF_CONTENT_TYPE };
    if (format === 'json') return { body: getOpenApiV2JsonText().text, contentType: 'application/json' };
    return undefined;
  }
  if (path === '/swagger-2.0.0.pb-v1')
    return { body: getOpenApiV2Protobuf(), contentType: OPENAPI_V2_PROTOBUF_CONTENT_TYPE };
  if (path === '/swagger.json') return { body: getOpenApiV2JsonText().text, contentType: 'application/json' };
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    cachedIndexText ??= JSON.stringify(getOpenApiV3Index());
    return { body: cachedIndexText, contentType: 'application/json' };
  }
  if (path.startsWith('/openapi/v3/')) {
    const cached = getOpenApiV3CachedDocument(path);
    return cached ? { body: cached.json, contentType: 'application/json' } : undefined;
  }
  return undefined;
}

/**
 * Decodes a parsed request body for a resource (or a merge-style patch of one) under a
 * fieldValidation mode. `errors` holds at most one message, the reason to put after
 * `<Kind> in version "<v>" cannot be handled as a <Kind>: ` in a 400 BadRequest:
 * `strict decoding error: unknown field "spec.replicass"` or `json: cannot unmarshal string into
 * Go struct field DeploymentSpec.spec.replicas of type int32`. `warnings` are the Warn texts.
 */
export function decodeRequestBody(
  resource: ResourceType,
  body: unknown,
  mode: FieldValidationDirective,
): { errors: string[]; warnings: string[]; object?: unknown } {
  const gvk = { group: resource.group, version: resource.version, kind: resource.kind };
  const result = decodeStrict(gvk, (body ?? null) as Parameters<typeof decodeStrict>[1], mode);
  if (result.reason) return { errors: [result.reason], warnings: [] };
  return { errors: [], warnings: result.warnings, object: result.object };
}
