/**
 * Benchmark: one kubectl round trip (`kubectl get rs -l app=vweb`) against the embedded control
 * plane, beside `kubectl version --client` (process start, no server) measured in the same run.
 * Prints medians, p95 and the ratio. Goal: ratio at most 1.5.
 *
 *   npm run bench:roundtrip [-- --runs 30 --kubectl 1.33]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RESOURCES } from '../sandbox/cluster/api/resources.ts';
import { startEmbeddedCluster } from '../sandbox/cluster/embedded-cluster.ts';
import { chooseKubectl, runKubectl } from '../tests/support/kubectl.ts';
import { loadManifests } from './support.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '30' }, kubectl: { type: 'string' } },
});
const runs = Number(values.runs);
const kubectl = chooseKubectl(values.kubectl);
if (!kubectl) throw new Error('kubectl is not installed');

const cluster = await startEmbeddedCluster({ timeScale: 50 });
for (const object of loadManifests('vweb/vweb-v1.yaml'))
  cluster.controlPlane.api.create(RESOURCES.deployments, 'default', object);
const home = mkdtempSync(join(tmpdir(), 'rollout-lab-bench-'));
writeFileSync(join(home, 'config'), cluster.adminKubeconfig('default'));
const env = { KUBECONFIG: join(home, 'config'), HOME: home, PATH: process.env.PATH ?? '' };

// kubectl runs as a child process while this process serves the API: never block the event loop.
async function time(args: string[]): Promise<number> {
  const start = process.hrtime.bigint();
  const result = await runKubectl(kubectl!.path, args, { env, cwd: home });
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function summarize(samples: number[]): { median: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)]!,
    p95: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!,
  };
}

// Warm up: the first call fills kubectl's discovery and OpenAPI caches, as a learner's first command does.
await time(['get', 'rs', '-l', 'app=vweb']);
await time(['version', '--client']);
const baseline: number[] = [];
const roundTrip: number[] = [];
for (let i = 0; i < runs; i++) {
  baseline.push(await time(['version', '--client']));
  roundTrip.push(await time(['get', 'rs', '-l', 'app=vweb']));
}
const b = summarize(baseline);
const r = summarize(roundTrip);
console.log(`kubectl ${kubectl.version}, ${runs} runs each`);
console.log(
  `baseline  kubectl version --client   median ${b.median.toFixed(1)} ms   p95 ${b.p95.toFixed(1)} ms`,
);
console.log(
  `measured  kubectl get rs -l app=vweb  median ${r.median.toFixed(1)} ms   p95 ${r.p95.toFixed(1)} ms`,
);
console.log(`ratio (median): ${(r.median / b.median).toFixed(2)}  (goal ≤ 1.5)`);
await cluster.stop();
rmSync(home, { recursive: true, force: true });
