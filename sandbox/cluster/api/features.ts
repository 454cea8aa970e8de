/**
 * The HTTP layer's delegated features, assembled from the modules that provide them: printing,
 * OpenAPI, strict decoding, service and pod proxies, logs.
 */

import { readContainerLogs } from '../apps/logs.ts';
import type { Clock } from '../clock.ts';
import { proxyToPod, proxyToService } from '../controllers/services/service-proxy.ts';
import { badRequest } from './errors.ts';
import type { ApiServerFeatures } from './http/server.ts';
import { decodeRequestBody, serveOpenApi } from './openapi/index.ts';
import { parseIncludeObject, printTable, UnknownIncludeObjectError } from './printers/index.ts';

/** Builds the feature set of the embedded API server. */
export function createApiFeatures(clock: Clock): ApiServerFeatures {
  return {
    openapi: serveOpenApi,
    proxyToService: (api, namespace, service, port, request) =>
      proxyToService(api, namespace, service, port, request.path, {
        method: request.method,
        headers: flattenHeaders(request.headers),
      }),
    proxyToPod: (api, namespace, pod, port, request) =>
      proxyToPod(api, namespace, pod, port, request.path, {
        method: request.method,
        headers: flattenHeaders(request.headers),
      }),
    podLogs(api, pod, options) {
      const containers = (pod.spec?.containers ?? []) as { name: string }[];
      const container = options.container ?? containers[0]?.name;
      if (!container) throw badRequest(`a container name must be specified for pod ${pod.metadata.name}`);
      if (!options.container && containers.length > 1) {
        throw badRequest(
          `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`,
        );
      }
      return readContainerLogs(pod, container, {
        api,
        previous: options.previous,
        tailLines: options.tailLines,
      });
    },
    decodeBody: decodeRequestBody,
    printTable(resource, objects, options) {
      try {
        return printTable(resource.plural, objects, {
          now: clock.now(),
          includeObject: parseIncludeObject(options.includeObject),
          resourceVersion: options.resourceVersion,
          continueToken: options.continueToken,
          noHeaders: options.noHeaders,
        });
      } catch (error) {
        if (error instanceof UnknownIncludeObjectError) throw badRequest(error.message);
        throw error;
      }
    },
  };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers))
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
