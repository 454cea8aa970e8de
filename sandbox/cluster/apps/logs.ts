/**
 * Container logs as `kubectl logs` shows them: what the image prints when it starts (nginx's
 * entrypoint and notices, PostgreSQL's start-up, the to-do app's hosting lines, v3's shell error)
 * followed by what it wrote while running (nginx access logs). Timestamps come from the
 * container's start time in its status, so the lines agree with `kubectl describe`.
 */
import type { ClusterApi } from '../api/cluster-api.ts';
import { badRequest } from '../api/errors.ts';
import type { KubeObject } from '../api/objects.ts';
import { type CatalogImage, findImage } from './catalog.ts';
import { resolveContainerProcess } from './process.ts';
import { outputKey, runtimeStateOf } from './runtime-state.ts';

/** Options of readContainerLogs, as `kubectl logs` sends them. */
export interface ReadLogsOptions {
  /** The previous (terminated) run, as `--previous`. */
  previous?: boolean;
  /** The cluster, to include lines written while running (access logs). */
  api?: ClusterApi;
  /** Only the last N lines, as `--tail`. */
  tailLines?: number;
}

interface ContainerRun {
  startedAt: string;
  finishedAt?: string;
  exitCode?: number;
  image: string;
  /** Which run this is: the restart count when it started. */
  index: number;
}

// biome-ignore lint/suspicious/noExplicitAny: container statuses as the API returns them.
type AnyStatus = any;

/**
 * The log text of a container (one line per `\n`, ending with a newline when not empty). Throws a
 * BadRequest StatusError worded as the kubelet's when the container is unknown, has not started,
 * or has no previous run.
 */
export function readContainerLogs(
  pod: KubeObject,
  containerName: string,
  options: ReadLogsOptions = {},
): string {
  const podName = pod.metadata.name ?? '';
  const specs = [
    ...((pod.spec?.initContainers ?? []) as { name: string }[]),
    ...((pod.spec?.containers ?? []) as { name: string }[]),
  ];
  const spec = specs.find((c) => c.name === containerName) as
    | {
        name: string;
        image: string;
        command?: string[];
        args?: string[];
        env?: { name: string; value?: string }[];
      }
    | undefined;
  if (!spec) throw badRequest(`container ${containerName} is not valid for pod ${podName}`);
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ] as AnyStatus[];
  const status = statuses.find((s) => s.name === containerName);
  const run = options.previous ? previousRunOf(status) : currentRunOf(status);
  if (!run) {
    if (options.previous)
      throw badRequest(`previous terminated container "${containerName}" in pod "${podName}" not found`);
    throw badRequest(
      `container "${containerName}" in pod "${podName}" is waiting to start: ${waitingExplanation(status)}`,
    );
  }
  const image = findImage(run.image || spec.image);
  const lines = image ? startupLinesOf(image, spec, run) : [];
  if (options.api) {
    const record = runtimeStateOf(options.api).pods.get(pod.metadata.uid ?? '');
    lines.push(...(record?.output.get(outputKey(containerName, run.index)) ?? []));
  }
  const kept =
    options.tailLines !== undefined && options.tailLines >= 0
      ? lines.slice(Math.max(0, lines.length - options.tailLines))
      : lines;
  return kept.length > 0 ? `${kept.join('\n')}\n` : '';
}

/** What the kubelet says a container with no run yet is waiting for. */
function waitingExplanation(status: AnyStatus): string {
  const reason = status?.state?.waiting?.reason ?? 'ContainerCreating';
  if (reason === 'ErrImagePull') return "image can't be pulled";
  if (reason === 'ImagePullBackOff') return 'trying and failing to pull image';
  return reason;
}

function runOf(state: AnyStatus, image: string, index: number): ContainerRun | undefined {
  if (state?.running) return { startedAt: state.running.startedAt, image, index };
  if (state?.terminated) {
    return {
      startedAt: state.terminated.startedAt,
      finishedAt: state.terminated.finishedAt,
      exitCode: state.terminated.exitCode,
      image,
      index,
    };
  }
  return undefined;
}

/** The run `kubectl logs` shows: the running one, or the last one to have exited. */
function currentRunOf(status: AnyStatus): ContainerRun | undefined {
  if (!status) return undefined;
  const restarts = status.restartCount ?? 0;
  return (
    runOf(status.state, status.image, restarts) ??
    runOf(status.lastState, status.image, Math.max(0, restarts - 1))
  );
}

function previousRunOf(status: AnyStatus): ContainerRun | undefined {
  if (!status) return undefined;
  return runOf(status.lastState, status.image, Math.max(0, (status.restartCount ?? 0) - 1));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2026/01/01 00:00:03`, nginx's error log time. */
function nginxTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `2026-01-01 00:00:03.120 UTC`, PostgreSQL's log time. */
function postgresTime(ms: number): string {
  const d = new Date(ms);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 23)} UTC`;
}

function versionAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < minimum.length; i++) {
    const have = parts[i] ?? 0;
    if (have !== minimum[i]) return have > minimum[i]!;
  }
  return true;
}

function nginxStartup(image: CatalogImage, started: number): string[] {
  const version = image.tag.version;
  // nginx images before 1.19 had no entrypoint scripts and logged notices only to a file.
  if (!versionAtLeast(version, [1, 19])) return [];
  const time = nginxTime(started + 40);
  const gcc =
    image.tag.base === 'alpine'
      ? 'built by gcc 12.2.1 20220924 (Alpine 12.2.1_git20220924-r4)'
      : 'built by gcc 12.2.0 (Debian 12.2.0-14)';
  return [
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
    '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
    `${time} [notice] 1#1: using the "epoll" event method`,
    `${time} [notice] 1#1: nginx/${version}`,
    `${time} [notice] 1#1: ${gcc}`,
    `${time} [notice] 1#1: OS: Linux 6.8.0-51-generic`,
    `${time} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
    `${time} [notice] 1#1: start worker processes`,
    `${time} [notice] 1#1: start worker process 29`,
  ];
}

function postgresStartup(image: CatalogImage, started: number, firstRun: boolean): string[] {
  const lines: string[] = [];
  if (firstRun) {
    lines.push(
      'The files belonging to this database system will be owned by user "postgres".',
      'This user must also own the server process.',
      '',
      'The database cluster will be initialized with locale "en_US.utf8".',
      'The default database encoding has accordingly been set to "UTF8".',
      '',
      'creating directory /var/lib/postgresql/data ... ok',
      'creating subdirectories ... ok',
      'performing post-bootstrap initialization ... ok',
      'syncing data to disk ... ok',
      '',
      'Success. You can now start the database server using:',
      '',
      '    pg_ctl -D /var/lib/postgresql/data -l logfile start',
      '',
      'PostgreSQL init process complete; ready for start up.',
      '',
    );
  } else {
    lines.push(
      '',
      'PostgreSQL Database directory appears to contain a database; Skipping initialization',
      '',
    );
  }
  const at = (offset: number) => postgresTime(started + 1_200 + offset);
  const platform = image.tag.base === 'alpine' ? 'x86_64-pc-linux-musl' : 'x86_64-pc-linux-gnu';
  if (versionAtLeast(image.tag.version, [13])) {
    lines.push(`${at(0)} [1] LOG:  starting PostgreSQL ${image.tag.version} on ${platform}, 64-bit`);
  }
  lines.push(
    `${at(1)} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432`,
    `${at(1)} [1] LOG:  listening on IPv6 address "::", port 5432`,
    `${at(6)} [1] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"`,
    `${at(31)} [1] LOG:  database system is ready to accept connections`,
  );
  return lines;
}

function todoStartup(env: Record<string, string>): string[] {
  return [
    'warn: Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository[60]',
    "      Storing keys in a directory '/root/.aspnet/DataProtection-Keys' that may not be persisted outside of the container. Protected data will be unavailable when container is destroyed.",
    'info: Microsoft.Hosting.Lifetime[0]',
    '      Now listening on: http://[::]:80',
    'info: Microsoft.Hosting.Lifetime[0]',
    '      Application started. Press Ctrl+C to shut down.',
    'info: Microsoft.Hosting.Lifetime[0]',
    `      Hosting environment: ${env.ASPNETCORE_ENVIRONMENT ?? 'Production'}`,
    'info: Microsoft.Hosting.Lifetime[0]',
    '      Content root path: /app',
  ];
}

function startupLinesOf(
  image: CatalogImage,
  spec: { command?: string[]; args?: string[]; env?: { name: string; value?: string }[] },
  run: ContainerRun,
): string[] {
  const started = Date.parse(run.startedAt) || 0;
  const process = resolveContainerProcess(image, spec, 'app', { initRunMs: [0, 0], commandRunMs: [0, 0] });
  if (process.run.kind === 'exit') return [...process.run.output];
  const env: Record<string, string> = {};
  for (const variable of spec.env ?? [])
    if (variable.value !== undefined) env[variable.name] = variable.value;
  if (process.run.kind === 'sleep') return [];
  switch (image.app) {
    case 'nginx':
      return nginxStartup(image, started);
    case 'postgres':
      return postgresStartup(image, started, run.index === 0);
    case 'todo-web':
      return todoStartup(env);
    default:
      return [];
  }
}
