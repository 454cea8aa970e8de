/**
 * A recording HTTPS proxy in front of an embedded cluster: kubectl talks to it as to any cluster,
 * every request is forwarded unchanged, and the bodies kubectl sends are kept so that a test can
 * compare what two kubectl versions put on the wire for the same command.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServerCertificates } from '../../../sandbox/cluster/api/http/tls.ts';
import type { EmbeddedCluster } from '../../../sandbox/cluster/embedded-cluster.ts';
import { renderKubeconfig } from '../../../sandbox/cluster/kubeconfig.ts';

/** One request that carried a body. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/apis/apps/v1/namespaces/default/deployments?dryRun=All`. */
  url: string;
  contentType: string;
  body: Buffer;
  /** The status the embedded cluster answered. */
  status: number;
}

/** A running probe. */
export interface BodyProbe {
  /** Requests with a body, oldest first; tests clear it between commands. */
  recorded: RecordedRequest[];
  /** A kubeconfig that points kubectl at the probe with the cluster's admin token. */
  kubeconfig(namespace?: string): string;
  stop(): Promise<void>;
}

/** Starts a probe on a free loopback port, forwarding to the cluster's HTTPS API server. */
export async function startBodyProbe(cluster: EmbeddedCluster): Promise<BodyProbe> {
  const certificates = await createServerCertificates({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const upstream = new URL(cluster.url);
  const recorded: RecordedRequest[] = [];
  const server = https.createServer(
    { cert: certificates.certificate, key: certificates.privateKey },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const forwarded = https.request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: upstream.host },
            ca: cluster.caCertificate,
          },
          (answer) => {
            if (body.length > 0)
              recorded.push({
                method: req.method ?? '',
                url: req.url ?? '',
                contentType: String(req.headers['content-type'] ?? ''),
                body,
                status: answer.statusCode ?? 0,
              });
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forwarded.on('error', (error) => {
          res.writeHead(502, { 'Content-Type': 'text/plain' });
          res.end(`probe could not reach the cluster: ${error.message}`);
        });
        forwarded.end(body);
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    recorded,
    kubeconfig: (namespace = 'default') =>
      renderKubeconfig({
        server: `https://127.0.0.1:${port}`,
        token: cluster.adminToken,
        clusterName: 'probe',
        userName: 'probe-admin',
        contextName: 'probe',
        namespace,
        certificateAuthority: certificates.caCertificate,
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
