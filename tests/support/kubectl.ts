/**
 * Finding and running the real kubectl binaries the machine carries (1.27 to 1.33).
 */
import { execFile } from 'node:child_process';
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
export function chooseKubectl(version = process.env.KUBECTL_VERSION): { version: string; path: string } | undefined {
  const all = installedKubectls();
  if (version) return all.find((k) => k.version === version);
  return all.at(-1) ?? (existsSync('/usr/bin/kubectl') ? { version: 'path', path: '/usr/bin/kubectl' } : undefined);
}

/** What one kubectl run printed. */
export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs kubectl with the given args, environment and working folder; never throws on a non-zero exit. */
export function runKubectl(binary: string, args: string[], options: { env: Record<string, string>; cwd: string; timeoutMs?: number }): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { env: options.env, cwd: options.cwd, timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code === 'string') {
        reject(new Error(`cannot run ${binary} in ${options.cwd}: ${error.message}`));
        return;
      }
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}
