/**
 * The services the shell is given instead of doing I/O itself. The session server implements
 * them (spawning the real kubectl with the session kubeconfig, proxying HTTP through the API
 * server, reading the session workdir); tests implement them with fakes and a temp folder.
 * Nothing in `sandbox/shell/` except `node-workspace.ts` touches the file system, processes or
 * the network.
 */

/** What a directory entry is, without following a symbolic link. */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

/** One entry of a directory listing. */
export interface DirEntry {
  name: string;
  kind: EntryKind;
}

/** What a path is after following symbolic links. */
export interface EntryStat {
  kind: 'file' | 'directory' | 'other';
  size: number;
  mtimeMs: number;
}

/**
 * The session workdir, the only part of the host the learner sees. Every path is absolute (the
 * shell resolves relative paths against its working folder first); a path may contain `..` and
 * symbolic links, which the implementation resolves as the kernel would. Failures throw
 * `WorkspaceError` (`ENOENT`, `ENOTDIR`, `EISDIR`, `EOUTSIDE` for anything that resolves outside
 * `root`, ...). The shell checks containment itself before each call as well; implementations
 * must check again, because they are the last line before the disk.
 */
export interface Workspace {
  /** Absolute path of the workdir with symbolic links resolved, e.g. `/srv/rollout-lab/s/4f7a/ch09`. */
  readonly root: string;
  /** The path with `.`, `..` and symbolic links resolved, as `realpath(3)`; ENOENT if it does not exist. */
  realpath(path: string): Promise<string>;
  /** Kind, size and modification time of what the path resolves to. */
  stat(path: string): Promise<EntryStat>;
  /** The entries of a directory, in any order, without `.` and `..`. */
  readdir(path: string): Promise<DirEntry[]>;
  /** The file as UTF-8 text; `EFBIG` if it is larger than `maxBytes`. */
  readFile(path: string, maxBytes: number): Promise<string>;
}

/** Which stream a chunk of kubectl output came from. */
export type OutputStream = 'stdout' | 'stderr';

/** How the shell wants one kubectl run done. */
export interface KubectlRunOptions {
  /** Absolute working folder inside the workdir: relative `-f` paths resolve against it. */
  cwd: string;
  /** Aborted on Ctrl-C or when a pipe's reader has had enough (`| head -n 3`): stop the process. */
  signal: AbortSignal;
  /** Output as it arrives, decoded as UTF-8, in order. */
  onOutput(chunk: string, stream: OutputStream): void;
  /** The terminal's width, for commands that wrap (`COLUMNS`). */
  columns: number;
}

/**
 * Runs the real kubectl. The shell has already confined the arguments (see `confine.ts`); the
 * implementation adds the session kubeconfig and a clean environment (no `KUBECONFIG` from the
 * host, no `KUBECTL_EXTERNAL_DIFF`, no `EDITOR`, its own cache folder, `PATH` without plugins)
 * and never passes arguments through a system shell.
 */
export interface KubectlRunner {
  /** Runs kubectl with `args` (without the program name) and resolves to its exit code. */
  run(args: readonly string[], options: KubectlRunOptions): Promise<number>;
}

/**
 * Where the built-in curl sends a request. `service` is a Service of the session namespace (the
 * port is a number or a port name); `load-balancer` is what `http://localhost:PORT` means in the
 * book: the session's Service of type LoadBalancer that exposes PORT.
 */
export type HttpTarget =
  | { kind: 'service'; namespace: string; name: string; port: number | string; path: string }
  | { kind: 'load-balancer'; namespace: string; port: number; path: string };

/** A response as curl shows it. Headers are lower-case names. */
export interface HttpResponse {
  status: number;
  statusText?: string;
  headers?: Record<string, string>;
  body: string;
}

/**
 * Sends GET requests through the API server's service proxy
 * (`/api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH`), so curl works the same on every
 * backend. Failures that curl would report as a connection error throw `HttpProxyError` with the
 * curl exit code (7 when no LoadBalancer Service has that port or no endpoint is ready).
 */
export interface HttpProxy {
  get(target: HttpTarget, options: { signal: AbortSignal }): Promise<HttpResponse>;
}

/** A `kubectl edit` the shell has confined, to run with the page's editor as kubectl's editor. */
export interface EditRequest {
  /** kubectl's whole argument list as confined, e.g. `['edit', 'deploy/vweb']` or `['-n', 'learner-1', 'edit', '-f', 'vweb/vweb-v1.yaml']`. */
  args: string[];
  /** The arguments after `edit`, e.g. `['deploy/vweb']`: what is edited, for the editor's title. */
  target: string[];
}

/**
 * Runs the real `kubectl edit` with the page's editor standing in for kubectl's text editor, and
 * resolves to kubectl's exit status. Output, working folder, width and Ctrl-C work as for any
 * kubectl run. Given only to shells whose session has a browser editor channel; without it the
 * shell explains the alternative (`EDIT_ALTERNATIVE`).
 */
export type OpenEditor = (request: EditRequest, options: KubectlRunOptions) => Promise<number>;

/**
 * Names of the objects of one resource type in the session namespace, for tab completion.
 * `resource` is the plural resource name (`deployments`, `replicasets`, `pods`, ...).
 */
export type ListNames = (resource: string, options: { signal: AbortSignal }) => Promise<string[]>;
