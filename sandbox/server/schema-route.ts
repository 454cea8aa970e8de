/**
 * `GET /api/sessions/:id/schema`: the editor's JSON Schema for manifests, built from the OpenAPI
 * v3 of the cluster behind the session (read with the session's own kubeconfig, as kubectl
 * would), so it is the schema of whatever backend runs: the embedded control plane, kind or a
 * real cluster. Built once per cluster and server, then served from memory with an ETag.
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { ApiError } from './http-utils.ts';
import { createKubeRequester, KubeRequestError, readInlineKubeconfig } from './kube-request.ts';
import { buildManifestSchema, OPENAPI_V3_PATHS, SchemaSourceError } from './manifest-schema.ts';

/** The OpenAPI documents are a few hundred kilobytes on the embedded cluster, a few megabytes on a real one. */
const MAX_OPENAPI_BYTES = 32 * 1024 * 1024;

interface BuiltSchema {
  json: string;
  etag: string;
}

/** Builds and keeps the schema of each cluster (by API server URL) a server's sessions use. */
export interface SchemaCache {
  /** The schema for the cluster of this session kubeconfig (YAML). */
  get(kubeconfig: string): Promise<BuiltSchema>;
}

/** A cache for one server. Failures are not kept: the next request tries again. */
export function createSchemaCache(): SchemaCache {
  const built = new Map<string, Promise<BuiltSchema>>();
  return {
    get(kubeconfig) {
      const resolved = readInlineKubeconfig(kubeconfig);
      const key = resolved.cluster.server;
      let entry = built.get(key);
      if (!entry) {
        entry = fetchAndBuild(kubeconfig);
        built.set(key, entry);
        entry.catch(() => built.delete(key));
      }
      return entry;
    },
  };
}

async function fetchAndBuild(kubeconfig: string): Promise<BuiltSchema> {
  const requester = createKubeRequester(readInlineKubeconfig(kubeconfig), {
    maxBodyBytes: MAX_OPENAPI_BYTES,
    timeoutMs: 30_000,
  });
  try {
    const documents = await Promise.all(
      OPENAPI_V3_PATHS.map(async (path) => {
        const response = await requester.get(path, { accept: 'application/json' });
        if (response.status !== 200)
          throw new SchemaSourceError(`GET ${path} answered ${response.status} ${response.statusText}`);
        if (response.truncated)
          throw new SchemaSourceError(`GET ${path} is larger than ${MAX_OPENAPI_BYTES} bytes`);
        try {
          return JSON.parse(response.body) as unknown;
        } catch {
          throw new SchemaSourceError(`GET ${path} did not answer JSON`);
        }
      }),
    );
    const { schema } = buildManifestSchema(documents);
    const json = JSON.stringify(schema);
    const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 22)}"`;
    return { json, etag };
  } finally {
    requester.close();
  }
}

/** Answers the schema route for a session's kubeconfig. */
export async function serveManifestSchema(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  cache: SchemaCache,
  kubeconfig: string,
): Promise<void> {
  let built: BuiltSchema;
  try {
    built = await cache.get(kubeconfig);
  } catch (error) {
    if (error instanceof SchemaSourceError || error instanceof KubeRequestError)
      throw new ApiError(
        503,
        'backend-unavailable',
        `Could not read the cluster's OpenAPI schema: ${error.message}`,
        'Try again in a moment; the editor works without the schema meanwhile.',
        { cause: error },
      );
    throw error;
  }
  const headers = {
    'Content-Type': 'application/schema+json; charset=utf-8',
    ETag: built.etag,
    // Same cluster, same schema: the browser may keep it for the session.
    'Cache-Control': 'private, max-age=600',
    'X-Content-Type-Options': 'nosniff',
  };
  if (req.headers['if-none-match'] === built.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': String(Buffer.byteLength(built.json)) });
  res.end(req.method === 'HEAD' ? undefined : built.json);
}
