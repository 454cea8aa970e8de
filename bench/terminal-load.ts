/**
 * Benchmark: N concurrent learner sessions (200 by default), each running the chapter's first two
 * exercises through the terminal protocol (HTTP session, WebSocket terminal, the real kubectl),
 * against the sandbox server on the embedded backend, all on loopback. Prints:
 *
 * - p50/p95/max command latency: from Enter to the next prompt, per command and overall;
 * - beside it, the bare kubectl round trip measured in the same run at idle: `kubectl version
 *   --client` (process start) and `kubectl get ns` straight against the API server (admin);
 * - session creation latency (POST /api/sessions);
 * - server CPU (process.cpuUsage of this process, which runs the server, the control plane and
 *   the light WebSocket clients; kubectl's own CPU from the children's counters beside it) and
 *   memory per session (heap and RSS growth with every shell alive, after GC).
 *
 * Bounded: at most --timeout-seconds overall (900 by default) and 120 s per command; whatever ran
 * by then is reported.
 *
 *   npm run bench:terminal [-- --sessions 200 --time-scale 20 --kubectl 1.32 --timeout-seconds 900]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createBackend, DEFAULT_EXERCISES_DIR, podsForSessions } from '../sandbox/backends/backend.ts';
import { createScaledClock } from '../sandbox/cluster/clock.ts';
import { startSandboxServer } from '../sandbox/server/app.ts';
import { chooseKubectlBinary, discoverKubectls } from '../sandbox/server/kubectl-binary.ts';
import { createSessionShellFactory } from '../sandbox/server/session-shell.ts';
import { TerminalHub } from '../sandbox/server/terminals.ts';
import { SessionManager } from '../sandbox/sessions/index.ts';
import { CreatedSession, type ServerMessage } from '../src/protocol/index.ts';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '200' },
    'time-scale': { type: 'string', default: '20' },
    kubectl: { type: 'string', default: '1.32' },
    'timeout-seconds': { type: 'string', default: '900' },
    'baseline-runs': { type: 'string', default: '20' },
  },
});
const sessionCount = Number(values.sessions);
const timeScale = Number(values['time-scale']);
const deadlineMs = Date.now() + Number(values['timeout-seconds']) * 1000;
const baselineRuns = Number(values['baseline-runs']);
if (!Number.isInteger(sessionCount) || sessionCount < 1 || sessionCount > 1000)
  throw new Error(`--sessions must be 1 to 1000, got ${values.sessions}`);

/** The first two exercises of the chapter, as the learner's notes run them. */
const EXERCISES = [
  'kubectl apply -f vweb/',
  'kubectl get rs -l app=vweb',
  'kubectl apply -f vweb/update/vweb-v1-scale.yaml',
  'kubectl get rs -l app=vweb',
  'kubectl rollout history deploy/vweb',
  'kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2',
  'kubectl get rs -l app=vweb',
  'kubectl rollout history deploy/vweb',
];
const COMMAND_TIMEOUT_MS = 120_000;

const installed = discoverKubectls(process.env);
const minor = Number(values.kubectl.split('.')[1]);
const kubectl = chooseKubectlBinary(
  installed.versioned,
  Number.isFinite(minor) ? minor : undefined,
  installed.onPath,
);
if (!kubectl) throw new Error('kubectl is not installed');

function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}
const fmt = (ms: number): string => (Number.isNaN(ms) ? '   n/a' : `${ms.toFixed(0).padStart(6)}`);
const line = (label: string, samples: readonly number[]): string =>
  `${label.padEnd(58)} n=${String(samples.length).padStart(5)}  p50 ${fmt(percentile(samples, 0.5))} ms  p95 ${fmt(percentile(samples, 0.95))} ms  max ${fmt(percentile(samples, 1))} ms`;

/** CPU time of this process's finished children (kubectl), from /proc; undefined off Linux. */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, so cutime and cstime (16, 17) are at 13 and 14.
    const ticks = Number(fields[13]) + Number(fields[14]);
    return (ticks * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Sessions opened one at a time before the load, to time a learner's wait for the first prompt. */
const FIRST_PROMPT_RUNS = 20;
const stateDir = mkdtempSync(join(tmpdir(), 'rollout-lab-terminal-bench-'));
const backend = createBackend({
  backend: 'embedded',
  timeScale,
  nodes: 1,
  podsPerNode: podsForSessions(sessionCount),
});
const access = await backend.start();
const sessions = new SessionManager({
  access,
  workRoot: join(stateDir, 'sessions'),
  exercisesDir: DEFAULT_EXERCISES_DIR,
  maxSessions: sessionCount + FIRST_PROMPT_RUNS,
  sweepIntervalMs: 0,
  log: () => {},
});
const server = await startSandboxServer({
  sessions,
  terminals: new TerminalHub({
    createShell: createSessionShellFactory({
      kubectlBinary: kubectl.path,
      cacheRoot: join(stateDir, 'kubectl-cache'),
      clock: createScaledClock(1),
    }),
    onActivity: (id) => sessions.touch(id),
  }),
  backend: backend.name,
  idleTimeoutMs: 3_600_000,
  host: '127.0.0.1',
  port: 0,
  expiryIntervalMs: 0,
});

// --- Baseline: bare kubectl against the API server, at idle, in this run. -----------------------
const adminHome = join(stateDir, 'admin');
rmSync(adminHome, { recursive: true, force: true });
const adminKubeconfig = join(stateDir, 'admin.kubeconfig');
writeFileSync(adminKubeconfig, access.adminKubeconfig);
const adminEnv = { KUBECONFIG: adminKubeconfig, HOME: adminHome, PATH: '/usr/bin:/bin' };
function timeKubectl(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(kubectl!.path, args, { env: adminEnv, argv0: 'kubectl', stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(performance.now() - start)
        : reject(new Error(`kubectl ${args.join(' ')} exited ${code}`)),
    );
  });
}
await timeKubectl(['get', 'ns']); // fill the discovery cache, as a learner's first command does
const baselineVersion: number[] = [];
const baselineGetNs: number[] = [];
for (let i = 0; i < baselineRuns; i++) {
  baselineVersion.push(await timeKubectl(['version', '--client']));
  baselineGetNs.push(await timeKubectl(['get', 'ns']));
}

// --- Load. --------------------------------------------------------------------------------------
/** A scripted learner: one session, one terminal, the exercises in order. */
class Learner {
  readonly latencies = new Map<string, number[]>();
  output = '';
  ws: WebSocket | undefined;
  #wake: (() => void) | undefined;

  async connect(session: CreatedSession): Promise<void> {
    const ws = new WebSocket(`${server.url.replace('http:', 'ws:')}${session.links.terminal}`, {
      headers: { Authorization: `Bearer ${session.token}` },
      perMessageDeflate: false,
    });
    this.ws = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'output') this.output += message.data;
      this.#wake?.();
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ type: 'resize', cols: 120, rows: 30 }));
    await this.#untilPrompt(0, 30_000, false);
  }

  #atPrompt(from: number): boolean {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the prompt is coloured
    return /\)\x1b\[0m \$ $/.test(this.output.slice(from));
  }

  /** Waits for the prompt after `from`; after a command, only once a line has ended (the echo of Enter). */
  #untilPrompt(from: number, timeoutMs: number, afterLine = true): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        reject(new Error('no prompt in time'));
      }, timeoutMs);
      const check = (): void => {
        const rest = this.output.slice(from);
        if ((!afterLine || rest.includes('\n')) && this.#atPrompt(from)) {
          clearTimeout(timer);
          this.#wake = undefined;
          resolve();
        }
      };
      this.#wake = check;
      check();
    });
  }

  async run(command: string): Promise<void> {
    const ws = this.ws!;
    ws.send(JSON.stringify({ type: 'input', data: command }));
    const from = this.output.length;
    const start = performance.now();
    ws.send(JSON.stringify({ type: 'input', data: '\r' }));
    await this.#untilPrompt(from, COMMAND_TIMEOUT_MS);
    const elapsed = performance.now() - start;
    const list = this.latencies.get(command) ?? [];
    list.push(elapsed);
    this.latencies.set(command, list);
  }
}

// --- Idle: one learner at a time, POST /api/sessions → terminal connected → first prompt. ---------
const firstPrompt: number[] = [];
for (let i = 0; i < FIRST_PROMPT_RUNS; i++) {
  const start = performance.now();
  const response = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
  if (response.status !== 201) throw new Error(`POST /api/sessions answered ${response.status}`);
  const session = CreatedSession.parse(await response.json());
  const learner = new Learner();
  await learner.connect(session);
  firstPrompt.push(performance.now() - start);
  learner.ws?.terminate();
  await fetch(`${server.url}${session.links.self}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${session.token}` },
  });
}

global.gc?.();
const heapBefore = process.memoryUsage();
const cpuBefore = process.cpuUsage();
const childrenBefore = childrenCpuMs();
const wallStart = performance.now();

const creation: number[] = [];
const learners: Learner[] = [];
let failures = 0;
const failureReasons = new Map<string, number>();
const noteFailure = (error: unknown): void => {
  failures++;
  const reason = (error as Error).message ?? String(error);
  failureReasons.set(reason, (failureReasons.get(reason) ?? 0) + 1);
};

await Promise.all(
  Array.from({ length: sessionCount }, async () => {
    const learner = new Learner();
    try {
      const start = performance.now();
      const response = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
      if (response.status !== 201) throw new Error(`POST /api/sessions answered ${response.status}`);
      const session = CreatedSession.parse(await response.json());
      creation.push(performance.now() - start);
      await learner.connect(session);
      learners.push(learner);
      for (const command of EXERCISES) {
        if (Date.now() > deadlineMs) throw new Error('benchmark deadline reached');
        await learner.run(command);
      }
    } catch (error) {
      noteFailure(error);
    }
  }),
);

const wallMs = performance.now() - wallStart;
const cpu = process.cpuUsage(cpuBefore);
const childrenAfter = childrenCpuMs();
global.gc?.();
const heapAfter = process.memoryUsage();

// --- Report. ------------------------------------------------------------------------------------
const all: number[] = [];
const perCommand = new Map<string, number[]>();
for (const learner of learners)
  for (const [command, samples] of learner.latencies) {
    perCommand.set(command, [...(perCommand.get(command) ?? []), ...samples]);
    all.push(...samples);
  }
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
console.log(
  `terminal load: ${sessionCount} concurrent sessions, embedded backend (time ×${timeScale}), kubectl ${kubectl.minor !== undefined ? `1.${kubectl.minor}` : kubectl.path}, ${EXERCISES.length} commands each`,
);
console.log(`completed: ${sessionCount - failures} of ${sessionCount} sessions ran every command`);
for (const [reason, count] of failureReasons) console.log(`  failure ×${count}: ${reason}`);
console.log('');
console.log('baseline, idle, bare kubectl with the admin kubeconfig:');
console.log(line('  kubectl version --client', baselineVersion));
console.log(line('  kubectl get ns (API round trip)', baselineGetNs));
console.log(line('  session to first prompt, one at a time', firstPrompt));
console.log('');
console.log('under load, through the terminal (Enter → next prompt):');
console.log(line('  session creation (POST /api/sessions)', creation));
for (const [command, samples] of perCommand) console.log(line(`  ${command}`, samples));
console.log(line('  all commands', all));
console.log(
  `  p95 over all commands is ${(percentile(all, 0.95) / percentile(baselineGetNs, 0.5)).toFixed(1)}× the idle median of a bare kubectl get ns`,
);
console.log('');
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(
  `server CPU: ${cpuMs.toFixed(0)} ms over ${(wallMs / 1000).toFixed(1)} s wall (${((cpuMs / wallMs) * 100).toFixed(0)}% of one core), ${(cpuMs / sessionCount).toFixed(0)} ms per session`,
);
if (childrenBefore !== undefined && childrenAfter !== undefined)
  console.log(
    `kubectl processes' CPU: ${(childrenAfter - childrenBefore).toFixed(0)} ms, ${((childrenAfter - childrenBefore) / sessionCount).toFixed(0)} ms per session`,
  );
console.log(
  `memory with ${learners.length} shells alive: heap +${mb(heapAfter.heapUsed - heapBefore.heapUsed)} (${kb((heapAfter.heapUsed - heapBefore.heapUsed) / Math.max(1, learners.length))} per session), RSS +${mb(heapAfter.rss - heapBefore.rss)} (${kb((heapAfter.rss - heapBefore.rss) / Math.max(1, learners.length))} per session)${global.gc ? '' : ' (run with --expose-gc for steadier figures)'}`,
);

for (const learner of learners) learner.ws?.terminate();
await server.close();
await sessions.shutdown({ deleteNamespaces: false });
await backend.stop();
rmSync(stateDir, { recursive: true, force: true });
process.exit(failures > 0 ? 1 : 0);
