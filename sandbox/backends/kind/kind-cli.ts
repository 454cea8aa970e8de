/**
 * A thin typed wrapper over the `kind` and `docker` command lines. This is the only module that
 * runs programs (through execa); everything it does goes through a `KindHost`, so a dry run can
 * record the same steps instead of doing them, the way `kwokctl --dry-run` prints its commands.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BackendError } from '../types.ts';

/** What one program run printed. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A program that is not on PATH. */
export class CommandNotFoundError extends Error {
  readonly command: string;
  constructor(command: string) {
    super(`${command}: command not found`);
    this.name = 'CommandNotFoundError';
    this.command = command;
  }
}

/** The side effects the kind backend needs: running programs and a temporary folder for its config. */
export interface KindHost {
  /** Runs a program; resolves with its exit code and output, throws CommandNotFoundError when absent. */
  run(file: string, args: readonly string[]): Promise<CommandResult>;
  makeTempDir(prefix: string): Promise<string>;
  writeFile(path: string, text: string): Promise<void>;
  removeDir(path: string): Promise<void>;
}

/** Runs the real programs. `env` is added to this process's environment (PATH, KUBECONFIG…). */
export function createExecaHost(options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): KindHost {
  return {
    async run(file, args) {
      const result = await execa(file, [...args], {
        env: options.env,
        reject: false,
        stdin: 'ignore',
        // kind create cluster pulls a node image the first time: minutes, not seconds.
        timeout: options.timeoutMs ?? 15 * 60_000,
      });
      if (result.code === 'ENOENT') throw new CommandNotFoundError(file);
      return {
        exitCode: result.exitCode ?? 1,
        stdout: String(result.stdout ?? ''),
        stderr: String(result.stderr ?? (result.timedOut ? `${file} timed out` : '')),
      };
    },
    makeTempDir: (prefix) => mkdtemp(join(tmpdir(), prefix)),
    writeFile: (path, text) => writeFile(path, text, { mode: 0o600 }),
    removeDir: (path) => rm(path, { recursive: true, force: true }),
  };
}

/** What a dry run pretends the machine has. */
export interface DryRunAssumptions {
  /** Clusters `kind get clusters` lists. */
  existingClusters?: string[];
  /** Images `docker image inspect` finds. */
  hostImages?: string[];
}

/** Quotes an argument for a transcript line the way a POSIX shell would need it. */
export function quoteArgument(arg: string): string {
  return /^[\w@%+=:,./{}-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * Records every step as a shell line instead of doing it (also passing each line to `onLine`) and
 * answers queries from `assume`.
 * `kind get kubeconfig` answers a placeholder kubeconfig (server https://127.0.0.1:6443).
 */
export function createDryRunHost(
  assume: DryRunAssumptions = {},
  onLine?: (line: string) => void,
): KindHost & { readonly transcript: string[] } {
  const transcript: string[] = [];
  const record = (...lines: string[]): void => {
    transcript.push(...lines);
    for (const line of lines) onLine?.(line);
  };
  const ok = (stdout = ''): CommandResult => ({ exitCode: 0, stdout, stderr: '' });
  let tempDirs = 0;
  return {
    transcript,
    async run(file, args) {
      record([file, ...args].map(quoteArgument).join(' '));
      const words = args.join(' ');
      if (file === 'docker' && args[0] === 'image')
        return (assume.hostImages ?? []).includes(args.at(-1) ?? '')
          ? ok('sha256:0000000000000000000000000000000000000000000000000000000000000000\n')
          : {
              exitCode: 1,
              stdout: '',
              stderr: `Error response from daemon: No such image: ${args.at(-1)}\n`,
            };
      if (file === 'kind' && words === 'get clusters') return ok((assume.existingClusters ?? []).join('\n'));
      if (file === 'kind' && words.startsWith('get kubeconfig'))
        return ok(dryRunKubeconfig(args[args.indexOf('--name') + 1] ?? 'kind'));
      return ok(file === 'kind' && args[0] === 'version' ? 'kind (dry run)\n' : '');
    },
    async makeTempDir(prefix) {
      tempDirs += 1;
      const dir = `/tmp/${prefix}dry-run-${tempDirs}`;
      record(`mkdir -p ${dir}`);
      return dir;
    },
    async writeFile(path, text) {
      record(`cat <<'EOF' > ${path}`, ...text.trimEnd().split('\n'), 'EOF');
    },
    async removeDir(path) {
      record(`rm -rf ${path}`);
    },
  };
}

function dryRunKubeconfig(name: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `  - name: kind-${name}`,
    '    cluster:',
    '      server: https://127.0.0.1:6443',
    'users:',
    `  - name: kind-${name}`,
    '    user:',
    '      token: dry-run',
    'contexts:',
    `  - name: kind-${name}`,
    '    context:',
    `      cluster: kind-${name}`,
    `      user: kind-${name}`,
    `current-context: kind-${name}`,
    '',
  ].join('\n');
}

const KIND_INSTALL = 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation';
const DOCKER_INSTALL = 'https://docs.docker.com/engine/install/';
const USE_EMBEDDED = 'or use SANDBOX_BACKEND=embedded, which needs no Docker';

/** The last meaningful line of a program's error output, for messages. */
function lastLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.at(-1) ?? '';
}

/** The kind and docker commands the backend uses, typed. */
export class KindCli {
  readonly #host: KindHost;

  constructor(host: KindHost) {
    this.#host = host;
  }

  /**
   * Checks that kind is installed and that docker is installed with a reachable daemon. Throws one
   * BackendError naming everything missing.
   */
  async detect(): Promise<void> {
    const missing: string[] = [];
    const hints: string[] = [];
    try {
      await this.#host.run('kind', ['version']);
    } catch (error) {
      if (!(error instanceof CommandNotFoundError)) throw error;
      missing.push('kind is not installed');
      hints.push(`install kind (${KIND_INSTALL})`);
    }
    try {
      const docker = await this.#host.run('docker', ['version', '--format', '{{.Server.Version}}']);
      if (docker.exitCode !== 0) {
        missing.push(
          `Docker is installed but its daemon does not answer (${lastLine(docker.stderr) || `exit ${docker.exitCode}`})`,
        );
        hints.push(
          'start Docker (Docker Desktop, or `sudo systemctl start docker`) and check that your user may use it',
        );
      }
    } catch (error) {
      if (!(error instanceof CommandNotFoundError)) throw error;
      missing.push('docker is not installed');
      hints.push(`install Docker (${DOCKER_INSTALL}); kind runs its nodes as Docker containers`);
    }
    if (missing.length > 0)
      throw new BackendError(missing.join('; '), `${hints.join(', and ')}, ${USE_EMBEDDED}`);
  }

  /** `kind get clusters`: the names of existing clusters. */
  async getClusters(): Promise<string[]> {
    const result = await this.#checked('kind', ['get', 'clusters'], 'cannot list kind clusters');
    // kind says "No kind clusters found." on stderr when there are none.
    return result.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  }

  /** `kind create cluster --name N --config F --wait Ns`, writing its kubeconfig to `kubeconfigPath`. */
  async createCluster(
    name: string,
    configPath: string,
    waitSeconds: number,
    kubeconfigPath: string,
  ): Promise<void> {
    // --kubeconfig keeps kind from merging the cluster into the user's ~/.kube/config and
    // switching their current context: the sandbox reads the kubeconfig itself.
    await this.#checked(
      'kind',
      [
        'create',
        'cluster',
        '--name',
        name,
        '--config',
        configPath,
        '--kubeconfig',
        kubeconfigPath,
        '--wait',
        `${waitSeconds}s`,
      ],
      `kind could not create the cluster "${name}"`,
      `delete a half-made cluster with \`npm run kind:down\` and try again, ${USE_EMBEDDED}`,
    );
  }

  /** `kind get kubeconfig --name N`: the cluster's admin kubeconfig (YAML). */
  async getKubeconfig(name: string): Promise<string> {
    const result = await this.#checked(
      'kind',
      ['get', 'kubeconfig', '--name', name],
      `cannot read the kubeconfig of kind cluster "${name}"`,
    );
    return result.stdout;
  }

  /** `docker image inspect IMAGE`: whether the host's Docker has the image. */
  async hostHasImage(image: string): Promise<boolean> {
    const result = await this.#host.run('docker', ['image', 'inspect', '--format', '{{.Id}}', image]);
    return result.exitCode === 0;
  }

  /** `kind load docker-image IMAGE --name N`: copies a host image into the cluster's nodes. */
  async loadDockerImage(image: string, name: string): Promise<void> {
    await this.#checked(
      'kind',
      ['load', 'docker-image', image, '--name', name],
      `kind could not load ${image} into "${name}"`,
    );
  }

  /** `kind delete cluster --name N`. */
  async deleteCluster(name: string): Promise<void> {
    await this.#checked(
      'kind',
      ['delete', 'cluster', '--name', name],
      `kind could not delete the cluster "${name}"`,
    );
  }

  async #checked(file: string, args: string[], what: string, hint?: string): Promise<CommandResult> {
    let result: CommandResult;
    try {
      result = await this.#host.run(file, args);
    } catch (error) {
      if (error instanceof CommandNotFoundError)
        throw new BackendError(
          `${file} is not installed`,
          `install it (${file === 'kind' ? KIND_INSTALL : DOCKER_INSTALL}), ${USE_EMBEDDED}`,
        );
      throw error;
    }
    if (result.exitCode !== 0)
      throw new BackendError(
        `${what} (\`${[file, ...args].join(' ')}\` exited with ${result.exitCode}: ${lastLine(result.stderr) || lastLine(result.stdout) || 'no output'})`,
        hint ?? `run the command yourself to see the whole output, ${USE_EMBEDDED}`,
      );
    return result;
  }
}
