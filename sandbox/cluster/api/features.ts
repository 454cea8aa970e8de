/**
 * The HTTP layer's delegated features, assembled from the modules that provide them: printing,
 * OpenAPI, strict decoding, service and pod proxies, logs.
 */
import type { Clock } from '../clock.ts';
import { badRequest } from './errors.ts';
import type { ApiServerFeatures } from './http/server.ts';
import { decodeRequestBody, serveOpenApi } from './openapi/index.ts';
import { parseIncludeObject, printTable, UnknownIncludeObjectError } from './printers/index.ts';

/** Builds the feature set of the embedded API server. */
export function createApiFeatures(clock: Clock): ApiServerFeatures {
  return {
    openapi: serveOpenApi,
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
