/**
 * Benchmark: learner session creation to ready (namespace, ServiceAccount, Role, RoleBinding,
 * quota and token provisioned through the API; workdir and kubeconfig written) on the embedded
 * backend, beside one bare `GET /version` round trip to the same server through the same client.
 * Prints p50 and p95. Goal: creation well under 100 ms.
 *
 *   npm run bench:sessions [-- --sessions 50]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBackend, DEFAULT_EXERCISES_DIR, podsForSessions } from '../sandbox/backends/backend.ts';
import { createKubeClient } from '../sandbox/kube-client/client.ts';
import { SessionManager } from '../sandbox/sessions/index.ts';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '50' } } });
const count = Number(values.sessions);
if (!Number.isInteger(count) || count < 1)
  throw new Error(`--sessions must be a whole number, got ${values.sessions}`);

function percentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)]!;
  return { p50: at(0.5), p95: at(0.95) };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const backend = createBackend({
  backend: 'embedded',
  timeScale: 1,
  nodes: 1,
  podsPerNode: podsForSessions(count + 5),
});
const access = await backend.start();
const workRoot = mkdtempSync(join(tmpdir(), 'rollout-lab-bench-sessions-'));
const manager = new SessionManager({
  access,
  workRoot,
  exercisesDir: DEFAULT_EXERCISES_DIR,
  maxSessions: count + 5,
  sweepIntervalMs: 0,
});
const client = createKubeClient(access.adminKubeconfig);

// Warm up: the first session reads the exercise tree and opens the kept-alive connection.
for (let i = 0; i < 3; i++) await manager.create();
await client.get('/version');

const baseline: number[] = [];
const created: number[] = [];
for (let i = 0; i < count; i++) {
  baseline.push(await time(() => client.get('/version')));
  created.push(await time(() => manager.create()));
}
const b = percentiles(baseline);
const c = percentiles(created);
console.log(`embedded backend, ${count} sessions created one after another`);
console.log(`baseline  GET /version              p50 ${b.p50.toFixed(2)} ms   p95 ${b.p95.toFixed(2)} ms`);
console.log(`measured  session create to ready   p50 ${c.p50.toFixed(2)} ms   p95 ${c.p95.toFixed(2)} ms`);
console.log(`ratio (p50): ${(c.p50 / b.p50).toFixed(1)} round trips   goal: p95 < 100 ms`);

client.close();
await manager.shutdown({ deleteNamespaces: false });
await backend.stop();
rmSync(workRoot, { recursive: true, force: true });
