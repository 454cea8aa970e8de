/**
 * Benchmark: how soon a change in the cluster reaches the page. One session on the embedded
 * backend with its events stream open (`GET /api/sessions/:id/events?steps=configmap-versions`);
 * each round changes the ConfigMap that step checks (a merge patch through the API, as kubectl
 * would send it) and times until the `checks` event that reports the new value arrives. Beside it,
 * a bare `GET /version` round trip to the same API server. Prints p50 and p95. The watcher's
 * 100 ms debounce is part of the figure by design; the page's promise is "within a second".
 *
 *   node bench/events-latency.ts [--rounds 50]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBackend, DEFAULT_EXERCISES_DIR } from '../sandbox/backends/backend.ts';
import { createKubeClient } from '../sandbox/kube-client/client.ts';
import { startSandboxServer } from '../sandbox/server/app.ts';
import { TerminalHub } from '../sandbox/server/terminals.ts';
import { SessionManager } from '../sandbox/sessions/index.ts';
import { CreatedSession, type StepChecksResponse } from '../src/protocol/index.ts';
import { SseClient } from '../tests/support/sse.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '50' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds must be a whole number, got ${values.rounds}`);

function percentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)]!;
  return { p50: at(0.5), p95: at(0.95) };
}

const backend = createBackend({ backend: 'embedded', timeScale: 1, nodes: 1 });
const access = await backend.start();
const workRoot = mkdtempSync(join(tmpdir(), 'rollout-lab-bench-events-'));
const sessions = new SessionManager({
  access,
  workRoot,
  exercisesDir: DEFAULT_EXERCISES_DIR,
  sweepIntervalMs: 0,
});
const server = await startSandboxServer({
  sessions,
  terminals: new TerminalHub({
    createShell: async () => {
      throw new Error('no terminal in this benchmark');
    },
  }),
  backend: backend.name,
  idleTimeoutMs: 3_600_000,
  port: 0,
  expiryIntervalMs: 0,
});

const session = CreatedSession.parse(
  await (await fetch(`${server.url}/api/sessions`, { method: 'POST' })).json(),
);
const admin = createKubeClient(access.adminKubeconfig);
const configMaps = `/api/v1/namespaces/${session.namespace}/configmaps`;
await admin.create(configMaps, {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'vweb-config' },
  data: { 'v.txt': 'start' },
});

const stream = await SseClient.open(
  `${server.url}/api/sessions/${session.id}/events?steps=configmap-versions&locale=en`,
  { Authorization: `Bearer ${session.token}` },
);
const reports = (value: string) => () =>
  stream
    .payloads<StepChecksResponse>('checks')
    .at(-1)
    ?.steps['configmap-versions']?.results[0]?.actual.includes(value) ?? false;
await stream.until(reports('start'), 'the first checks event');

const baseline: number[] = [];
const measured: number[] = [];
for (let i = 0; i < rounds; i++) {
  let start = performance.now();
  await admin.get('/version');
  baseline.push(performance.now() - start);
  const value = `round-${i}`;
  start = performance.now();
  await admin.patch(`${configMaps}/vweb-config`, { data: { 'v.txt': value } });
  await stream.until(reports(value), `round ${i}`);
  measured.push(performance.now() - start);
}

const b = percentiles(baseline);
const m = percentiles(measured);
console.log(`embedded backend, one session, ${rounds} changes one after another`);
console.log(
  `baseline  GET /version                       p50 ${b.p50.toFixed(2)} ms   p95 ${b.p95.toFixed(2)} ms`,
);
console.log(
  `measured  API write → checks event (SSE)     p50 ${m.p50.toFixed(2)} ms   p95 ${m.p95.toFixed(2)} ms`,
);

stream.close();
admin.close();
await server.close();
await sessions.shutdown({ deleteNamespaces: false });
await backend.stop();
rmSync(workRoot, { recursive: true, force: true });
