/**
 * Finding and running the real kubectl binaries the machine carries (1.27 to 1.33).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const SDK_BIN = '/usr/lib/google-cloud-sdk/bin';

/** Installed versioned kubectl binaries, oldest first: [{ version: '1.27', path }]. */
export function installedKubectls(): { version: string; path: string }[] {
  if (!existsSync(SDK_BIN)) return [];
  return readdirSync(SDK_BIN)
    .map((file) => /^kubectl\.(\d+\.\d+)$/.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ version: m[1]!, path: `${SDK_BIN}/${m[0]}` }))
    .sort((a, b) => Number(a.version.split('.')[1]) - Number(b.version.split('.')[1]));
}

/** The binary to test with: KUBECTL_VERSION=1.27 picks one; default the newest installed, else `kubectl` on PATH. */
export function chooseKubectl(
  version = process.env.KUBECTL_VERSION,
): { version: string; path: string } | undefined {
  const all = installedKubectls();
  if (version) return all.find((k) => k.version === version);
  return (
    all.at(-1) ?? (existsSync('/usr/bin/kubectl') ? { version: 'path', path: '/usr/bin/kubectl' } : undefined)
  );
}

/** What one kubectl run printed. */
export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * Runs kubectl with the given args, environment and working folder; never throws on a non-zero
 * exit. argv[0] is `kubectl`, as a learner types it: kubectl writes its own name into
 * `--record` change-causes.
 */
export function runKubectl(
  binary: string,
  args: string[],
  options: { env: Record<string, string>; cwd: string; timeoutMs?: number },
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      env: options.env,
      cwd: options.cwd,
      argv0: 'kubectl',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${binary} in ${options.cwd}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: code ?? (signal ? 128 : 1) });
    });
  });
}
