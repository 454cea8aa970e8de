/**
 * The embedded cluster as one unit: a control plane plus its HTTP API server and an admin
 * identity. The sandbox's embedded backend, `npm run cluster`, the conformance tests and the
 * benchmarks all start it through here.
 */
import { randomBytes } from 'node:crypto';
import { TokenAuthenticator } from './api/auth/tokens.ts';
import { createApiFeatures } from './api/features.ts';
import { type RunningApiServer, startApiServer } from './api/http/server.ts';
import { createServerCertificates } from './api/http/tls.ts';
import { warmOpenApiCaches } from './api/openapi/index.ts';
import { type ControlPlane, type ControlPlaneOptions, createControlPlane } from './control-plane.ts';
import { renderKubeconfig } from './kubeconfig.ts';

/** How to start an embedded cluster. */
export interface EmbeddedClusterOptions extends ControlPlaneOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
}

/** A running embedded cluster. */
export interface EmbeddedCluster {
  controlPlane: ControlPlane;
  server: RunningApiServer;
  /** The API server's base URL, e.g. http://127.0.0.1:38021. */
  url: string;
  /** PEM of the CA that signed the API server's certificate. */
  caCertificate: string;
  /** A bearer token with cluster-admin rights. */
  adminToken: string;
  /** An admin kubeconfig (YAML) for this cluster. */
  adminKubeconfig(namespace?: string): string;
  stop(): Promise<void>;
}

/** Starts the control plane and serves its API on loopback. */
export async function startEmbeddedCluster(options: EmbeddedClusterOptions = {}): Promise<EmbeddedCluster> {
  const controlPlane = createControlPlane(options);
  const tokens = new TokenAuthenticator(controlPlane.clock);
  const adminToken = randomBytes(32).toString('base64url');
  tokens.addStatic(adminToken, {
    username: 'kubernetes-admin',
    groups: ['system:masters', 'system:authenticated'],
  });
  const host = options.host ?? '127.0.0.1';
  const certificates = await createServerCertificates({
    dns: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
    ips: [...new Set(['127.0.0.1', '::1', host].filter((h) => /^[\d.:]+$/.test(h)))],
  });
  const server = await startApiServer({
    tls: certificates,
    api: controlPlane.api,
    tokens,
    features: createApiFeatures(controlPlane.clock),
    host: options.host,
    port: options.port,
    logError: (message, error) => controlPlane.context.log('apiserver', message, error),
  });
  // Build the OpenAPI documents off the request path: the first `kubectl apply` should not pay for them.
  setImmediate(() => {
    try {
      warmOpenApiCaches();
    } catch (error) {
      // A document that cannot be built fails its own request later with a Status; never the server.
      controlPlane.context.log('apiserver', 'building the OpenAPI documents failed', error);
    }
  });
  return {
    controlPlane,
    server,
    url: server.url,
    adminToken,
    caCertificate: certificates.caCertificate,
    adminKubeconfig: (namespace) =>
      renderKubeconfig({
        server: server.url,
        token: adminToken,
        clusterName: 'rollout-lab',
        userName: 'rollout-lab-admin',
        contextName: 'rollout-lab',
        namespace,
        certificateAuthority: certificates.caCertificate,
      }),
    async stop() {
      await server.close();
      controlPlane.stop();
    },
  };
}
