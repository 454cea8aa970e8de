/**
 * `npm run cluster -- --kubeconfig-out FILE [--port N] [--host H] [--time-scale X] [--nodes N]`:
 * runs the embedded control plane alone, writes an admin kubeconfig, serves until interrupted.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startEmbeddedCluster } from './embedded-cluster.ts';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    'kubeconfig-out': { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'time-scale': { type: 'string', default: '1' },
    nodes: { type: 'string', default: '1' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (values.help) {
  process.stdout.write(
    'usage: npm run cluster -- --kubeconfig-out FILE [--port N] [--host H] [--time-scale X] [--nodes N]\n',
  );
  process.exit(0);
}
const port = Number(values.port);
const timeScale = Number(values['time-scale']);
const nodes = Number(values.nodes);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be a port number, got "${values.port}"`);
if (!(timeScale > 0)) fail(`--time-scale must be a positive number, got "${values['time-scale']}"`);
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 50)
  fail(`--nodes must be a whole number from 1 to 50, got "${values.nodes}"`);

const cluster = await startEmbeddedCluster({
  host: values.host,
  port,
  timeScale,
  nodes,
  log: (controller, message, error) =>
    process.stderr.write(
      `[${controller}] ${message}${error ? `: ${(error as Error).message ?? error}` : ''}\n`,
    ),
});
const out = values['kubeconfig-out'];
if (out) {
  try {
    writeFileSync(out, cluster.adminKubeconfig('default'), { mode: 0o600 });
  } catch (error) {
    await cluster.stop();
    fail(`cannot write the kubeconfig to ${out}: ${(error as Error).message}`);
  }
}
process.stdout.write(`Embedded Kubernetes API (v1.32) serving at ${cluster.url}\n`);
if (out)
  process.stdout.write(`Admin kubeconfig written to ${out}\n  try: kubectl --kubeconfig ${out} get nodes\n`);
else process.stdout.write('No --kubeconfig-out given: pass one to use kubectl against this cluster.\n');

const shutdown = async (): Promise<void> => {
  await cluster.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
