/**
 * Readiness probes against the simulated apps: an httpGet probe is an HTTP request to the
 * container (nginx answers 404 for a missing path, so the probe fails as it would for real), a
 * tcpSocket probe succeeds where the process listens, an exec probe succeeds while it runs.
 */
import type { ClusterApi } from '../api/cluster-api.ts';
import type { KubeObject } from '../api/objects.ts';
import type { CatalogImage } from '../apps/catalog.ts';
import { containerFilesOf } from '../apps/container-files.ts';
import { serveFromContainer } from '../apps/http.ts';
import type { ContainerProcess } from '../apps/process.ts';
import type { ClusterRuntimeState } from '../apps/runtime-state.ts';
import type { ContainerSpec, Probe } from './pod-facts.ts';

/** The outcome of one probe: success, or the message the kubelet's Unhealthy event carries. */
export type ProbeResult = { ok: true } | { ok: false; message: string };

/** What a probe needs to reach a running container. */
export interface ProbeTarget {
  api: ClusterApi;
  state: ClusterRuntimeState;
  pod: KubeObject;
  podIP: string;
  spec: ContainerSpec;
  image: CatalogImage;
  process: ContainerProcess;
  startedAt: number;
  now: number;
}

function portNumberOf(spec: ContainerSpec, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return spec.ports?.find((p) => p.name === port)?.containerPort;
}

/** Runs a readiness probe once. */
export function runProbe(probe: Probe, target: ProbeTarget): ProbeResult {
  const { podIP, process } = target;
  if (probe.httpGet) {
    const port = portNumberOf(target.spec, probe.httpGet.port);
    const path = probe.httpGet.path ?? '/';
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const url = `${scheme}://${podIP}:${port ?? probe.httpGet.port}${path.startsWith('/') ? path : `/${path}`}`;
    const listener = process.ports.find((p) => p.port === port);
    if (!listener)
      return {
        ok: false,
        message: `Get "${url}": dial tcp ${podIP}:${port ?? probe.httpGet.port}: connect: connection refused`,
      };
    if (listener.protocol !== 'http') return { ok: false, message: `Get "${url}": EOF` };
    const files = containerFilesOf(target.api, target.state, target.pod, target.spec, target.image.files);
    const response = serveFromContainer(
      {
        podName: target.pod.metadata.name ?? '',
        podIP,
        image: target.image,
        process,
        files,
        env: {},
        now: target.now,
        startedAt: target.startedAt,
      },
      { method: 'GET', path, headers: { 'user-agent': 'kube-probe/1.32' } },
    );
    if (response.status >= 200 && response.status < 400) return { ok: true };
    return { ok: false, message: `HTTP probe failed with statuscode: ${response.status}` };
  }
  if (probe.tcpSocket) {
    const port = portNumberOf(target.spec, probe.tcpSocket.port);
    if (process.ports.some((p) => p.port === port)) return { ok: true };
    return {
      ok: false,
      message: `dial tcp ${podIP}:${port ?? probe.tcpSocket.port}: connect: connection refused`,
    };
  }
  if (probe.grpc) {
    if (process.ports.some((p) => p.port === probe.grpc!.port)) return { ok: true };
    return {
      ok: false,
      message: `timeout: failed to connect service "${podIP}:${probe.grpc.port}" within 1s: context deadline exceeded`,
    };
  }
  // exec: the command runs inside the container; the simulated images have what it needs.
  return { ok: true };
}
