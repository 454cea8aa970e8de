/**
 * `npm run kind:down [-- --name N] [-- --dry-run]`: deletes the kind cluster the sandbox created
 * (KIND_CLUSTER_NAME, default rollout-lab). The server keeps the cluster between runs, since
 * creating one takes a minute; this is how to get rid of it.
 */
import { parseArgs } from 'node:util';
import { BackendError } from '../types.ts';
import { createDryRunHost, createExecaHost, KindCli } from './kind-cli.ts';
import { DEFAULT_KIND_CLUSTER_NAME } from './kind-config.ts';

const { values } = parseArgs({
  options: {
    name: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});
if (values.help) {
  process.stdout.write('usage: npm run kind:down [-- --name CLUSTER] [-- --dry-run]\n');
  process.exit(0);
}
const name = values.name ?? (process.env.KIND_CLUSTER_NAME?.trim() || DEFAULT_KIND_CLUSTER_NAME);
const dryRunHost = values['dry-run'] ? createDryRunHost({ existingClusters: [name] }) : undefined;
const cli = new KindCli(dryRunHost ?? createExecaHost());
try {
  const clusters = await cli.getClusters();
  if (!clusters.includes(name)) {
    process.stdout.write(`There is no kind cluster named "${name}": nothing to delete.\n`);
  } else {
    await cli.deleteCluster(name);
    if (!dryRunHost) process.stdout.write(`Deleted kind cluster "${name}".\n`);
  }
  if (dryRunHost) process.stdout.write(`${dryRunHost.transcript.join('\n')}\n`);
} catch (error) {
  if (!(error instanceof BackendError)) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(1);
}
