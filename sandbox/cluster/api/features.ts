/**
 * The HTTP layer's delegated features, assembled from the modules that provide them: printing,
 * OpenAPI, strict decoding, service and pod proxies, logs.
 */
import { formatTimestamp } from '../clock.ts';
import type { ApiServerFeatures } from './http/server.ts';

/** Builds the feature set of the embedded API server. */
export function createApiFeatures(): ApiServerFeatures {
  return {
    printTable(resource, objects, options) {
      return {
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: options.resourceVersion },
        columnDefinitions: options.noHeaders
          ? []
          : [
              { name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 0 },
              { name: 'Created At', type: 'date', format: '', description: 'Created', priority: 0 },
            ],
        rows: objects.map((o) => ({
          cells: [o.metadata.name, o.metadata.creationTimestamp ?? formatTimestamp(0)],
          object: { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: o.metadata },
        })),
        _resource: resource.plural,
      };
    },
  };
}
