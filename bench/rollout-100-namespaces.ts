/**
 * Benchmark: N namespaces (default 100) each apply the vweb Deployment and roll it to v2, at time
 * scale 100, through the API core with every controller and simulated node running. Prints the
 * wall time until every rollout completes beside the same work for one namespace (the baseline,
 * measured in the same run), and memory per namespace.
 *
 *   npm run bench:rollouts [-- --namespaces 100 --time-scale 100]
 */
import { parseArgs } from 'node:util';
import type { ClusterApi } from '../sandbox/cluster/api/cluster-api.ts';
import type { KubeObject } from '../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../sandbox/cluster/api/resources.ts';
import { createControlPlane } from '../sandbox/cluster/control-plane.ts';
import { loadManifests } from './support.ts';

const { values } = parseArgs({
  options: {
    namespaces: { type: 'string', default: '100' },
    'time-scale': { type: 'string', default: '100' },
  },
});
const count = Number(values.namespaces);
const timeScale = Number(values['time-scale']);
const [deployment] = loadManifests('vweb/vweb-v1.yaml') as [KubeObject];

function rolledOut(api: ClusterApi, namespace: string, image: string): boolean {
  const d = api.find(RESOURCES.deployments, namespace, 'vweb');
  if (!d) return false;
  const s = d.status ?? {};
  const want = d.spec.replicas ?? 1;
  return (
    d.spec.template.spec.containers[0].image === image &&
    s.observedGeneration === d.metadata.generation &&
    s.updatedReplicas === want &&
    s.replicas === want &&
    s.availableReplicas === want
  );
}

async function waitFor(check: () => boolean, limitMs = 600_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > limitMs) throw new Error('rollouts did not complete within the limit');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function run(namespaces: number): Promise<{ seconds: number; heapPerNamespaceKiB: number }> {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  // A simulated node holds 110 pods, as a kubelet's default maxPods; a class needs enough nodes.
  const nodes = Math.ceil((namespaces * 3) / 100);
  const cp = createControlPlane({ timeScale, nodes });
  const names = Array.from({ length: namespaces }, (_, i) => `learner-${i}`);
  const start = performance.now();
  for (const name of names) {
    cp.api.create(RESOURCES.namespaces, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
    cp.api.create(RESOURCES.deployments, name, structuredClone(deployment));
  }
  await waitFor(() => names.every((n) => rolledOut(cp.api, n, 'kiamol/ch09-vweb:v1')));
  for (const name of names) {
    const patch = {
      spec: { template: { spec: { containers: [{ name: 'web', image: 'kiamol/ch09-vweb:v2' }] } } },
    };
    cp.api.patch(RESOURCES.deployments, name, 'vweb', 'application/strategic-merge-patch+json', patch);
  }
  await waitFor(() => names.every((n) => rolledOut(cp.api, n, 'kiamol/ch09-vweb:v2')));
  const seconds = (performance.now() - start) / 1000;
  globalThis.gc?.();
  const heapPerNamespaceKiB = (process.memoryUsage().heapUsed - heapBefore) / namespaces / 1024;
  cp.stop();
  return { seconds, heapPerNamespaceKiB };
}

const baseline = await run(1);
const measured = await run(count);
console.log(
  `time scale ${timeScale}; every controller running; ${Math.ceil((count * 3) / 100)} simulated nodes (110 pods each)`,
);
console.log(`baseline   1 namespace:    apply + roll to v2 in ${baseline.seconds.toFixed(2)} s`);
console.log(
  `measured ${String(count).padStart(3)} namespaces:   apply + roll to v2 in ${measured.seconds.toFixed(2)} s (${(measured.seconds / baseline.seconds).toFixed(1)}× the baseline)`,
);
console.log(`memory: ${measured.heapPerNamespaceKiB.toFixed(0)} KiB of heap per namespace`);
