/**
 * Test doubles for the shell: a temp workdir laid out like the chapter's exercise folder (with
 * symbolic links that lead out of it), a kubectl runner and an HTTP proxy that record what they
 * were asked, and a shell wired to them whose screen a test can read.
 */

import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, type ManualClock } from '../../../sandbox/cluster/clock.ts';
import { createNodeWorkspace } from '../../../sandbox/shell/node-workspace.ts';
import type {
  HttpProxy,
  HttpResponse,
  HttpTarget,
  KubectlRunner,
  KubectlRunOptions,
  ListNames,
  OpenEditor,
  Workspace,
} from '../../../sandbox/shell/services.ts';
import { createShell, type Shell } from '../../../sandbox/shell/shell.ts';
import { stripAnsi } from '../../../sandbox/shell/text.ts';
import { VirtualTerminal } from './virtual-terminal.ts';

const DEPLOYMENT_V1 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vweb
  labels:
    kiamol: ch09
spec:
  replicas: 2
  selector:
    matchLabels:
      app: vweb
  template:
    metadata:
      labels:
        app: vweb
        version: v1
    spec:
      containers:
        - name: web
          image: kiamol/ch09-vweb:v1
          ports:
            - name: http
              containerPort: 80
`;

/** A temp folder holding `ch09/` (the workdir) and, beside it, files the learner must not reach. */
export interface TestWorkdir {
  /** The workdir, real path. */
  root: string;
  /** The temp folder around it. */
  base: string;
  workspace: Workspace;
  remove(): Promise<void>;
}

/**
 * Lays out the chapter's folders with a few manifests, plus:
 * - `links/etc` → `/etc` and `links/passwd.yaml` → `/etc/passwd` (links out of the workdir);
 * - `links/v1.yaml` → `../vweb/vweb-v1.yaml` (a link that stays inside);
 * - `../outside/secret.yaml`, a real file next to the workdir.
 */
export async function createTestWorkdir(): Promise<TestWorkdir> {
  const base = await mkdtemp(join(tmpdir(), 'rollout-lab-shell-'));
  const root = join(base, 'ch09');
  const files: Record<string, string> = {
    'vweb/vweb-v1.yaml': DEPLOYMENT_V1,
    'vweb/vweb-service.yaml':
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: vweb\nspec:\n  type: LoadBalancer\n  ports:\n    - port: 8090\n      targetPort: http\n  selector:\n    app: vweb\n',
    'vweb/update/vweb-v1-scale.yaml': DEPLOYMENT_V1.replace('replicas: 2', 'replicas: 3'),
    'vweb/update/vweb-v11.yaml': DEPLOYMENT_V1.replace('version: v1', 'version: v1.1'),
    'vweb/update/vweb-v2.yaml': DEPLOYMENT_V1.replace('version: v1', 'version: v2').replace(':v1', ':v2'),
    'vweb-strategies/vweb-recreate-v2.yaml': DEPLOYMENT_V1.replace(':v1', ':v2'),
    'todo-list/db/todo-db.yaml': 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: todo-db\n',
    'lab/v1/vweb-service-v1.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: vweb\n',
    'notes.txt': 'b\na\nc\na\n10\n9\n',
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  await mkdir(join(root, 'links'));
  await symlink('/etc', join(root, 'links/etc'));
  await symlink('/etc/passwd', join(root, 'links/passwd.yaml'));
  await symlink('../vweb/vweb-v1.yaml', join(root, 'links/v1.yaml'));
  await mkdir(join(base, 'outside'));
  await writeFile(join(base, 'outside/secret.yaml'), 'secret: yes\n');
  const workspace = await createNodeWorkspace(root);
  return { root: workspace.root, base, workspace, remove: () => rm(base, { recursive: true, force: true }) };
}

/** What the fake kubectl prints for one call. */
export interface FakeKubectlReply {
  stdout?: string;
  stderr?: string;
  code?: number;
  /** Keep running until aborted (like `kubectl get -w`), after printing stdout. */
  follow?: boolean;
}

/** A KubectlRunner that records its calls and answers from a function. */
export class FakeKubectl implements KubectlRunner {
  readonly calls: { args: string[]; cwd: string }[] = [];
  /** Set when a running call saw its signal abort. */
  aborted = 0;
  reply: (args: readonly string[]) => FakeKubectlReply = () => ({ code: 0 });

  async run(args: readonly string[], options: KubectlRunOptions): Promise<number> {
    this.calls.push({ args: [...args], cwd: options.cwd });
    const reply = this.reply(args);
    if (reply.stdout) options.onOutput(reply.stdout, 'stdout');
    if (reply.stderr) options.onOutput(reply.stderr, 'stderr');
    if (reply.follow) {
      await new Promise<void>((resolve) => {
        if (options.signal.aborted) resolve();
        options.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      this.aborted++;
      return 130;
    }
    return reply.code ?? 0;
  }
}

/** An HttpProxy that records its targets and answers from a function. */
export class FakeHttp implements HttpProxy {
  readonly targets: HttpTarget[] = [];
  reply: (target: HttpTarget) => HttpResponse | Error = () => ({ status: 200, statusText: 'OK', body: 'v1' });

  async get(target: HttpTarget, _options: { signal: AbortSignal }): Promise<HttpResponse> {
    this.targets.push(target);
    const r = this.reply(target);
    if (r instanceof Error) throw r;
    return r;
  }
}

/** A shell on a test workdir with fakes, whose output a test reads as plain text. */
export interface ShellHarness {
  shell: Shell;
  kubectl: FakeKubectl;
  http: FakeHttp;
  clock: ManualClock;
  workdir: TestWorkdir;
  /** Everything written so far, raw. */
  raw(): string;
  /** Everything written so far, colours and other escape sequences removed, `\r\n` as `\n`. */
  text(): string;
  /** Forgets the output so far. */
  reset(): void;
  /** The screen as a terminal of the harness's width would show it now (a clear empties it). */
  screen(): string[];
  /** Types a line and Enter, and waits until it has run. Returns the text it produced. */
  run(line: string): Promise<string>;
}

/** Builds a shell harness; call `workdir.remove()` afterwards. */
export async function createShellHarness(
  options: { listNames?: ListNames; openEditor?: OpenEditor; columns?: number } = {},
): Promise<ShellHarness> {
  const workdir = await createTestWorkdir();
  const kubectl = new FakeKubectl();
  const http = new FakeHttp();
  const clock = createManualClock();
  let output = '';
  const shell = createShell({
    workspace: workdir.workspace,
    kubectl,
    http,
    clock,
    namespace: 'learner-1',
    write: (data) => (output += data),
    columns: options.columns ?? 100,
    rows: 30,
    ...(options.listNames ? { listNames: options.listNames } : {}),
    ...(options.openEditor ? { openEditor: options.openEditor } : {}),
  });
  const text = (): string => stripAnsi(output).replace(/\r\n/g, '\n');
  return {
    shell,
    kubectl,
    http,
    clock,
    workdir,
    raw: () => output,
    text,
    reset: () => (output = ''),
    screen: () => {
      const vt = new VirtualTerminal(options.columns ?? 100);
      vt.write(output);
      return vt.lines();
    },
    async run(line: string): Promise<string> {
      const before = text().length;
      shell.input(`${line}\r`);
      await shell.whenIdle();
      return text().slice(before);
    },
  };
}
