/**
 * What the shell knows about kubectl's command line: which commands exist and which of them the
 * learner may run, the flags that matter for confinement, and the names tab completion offers.
 * Learned from `kubectl <command> --help` of kubectl 1.27 to 1.33; kept as data so that
 * `confine.ts` and `complete.ts` read the same table.
 */

/** How the shell treats a kubectl command. */
export type CommandPolicy =
  /** Runs as is (after flag and file checks). */
  | { kind: 'allow' }
  /** Never runs: it reaches the host, opens ports or needs an interactive stream. */
  | { kind: 'refuse'; why: string; instead: string }
  /** `kubectl edit`: not run, handed to the page's editor. */
  | { kind: 'edit' };

/** One kubectl command as completion and confinement see it. */
export interface KubectlCommandInfo {
  policy: CommandPolicy;
  /** Sub-commands, for `rollout`, `set`, `create`, ... */
  children?: readonly string[];
  /** Long flags tab completion offers (global ones are added). */
  flags?: readonly string[];
  /** What the positional arguments are: resource types and names, pods, nothing. */
  operands?: 'resources' | 'workloads' | 'pods' | 'types' | 'none';
}

const allow: CommandPolicy = { kind: 'allow' };

/**
 * What `kubectl create KIND` makes, with kubectl's aliases (1.33). Since kubectl 1.30, a word after
 * `create` that is none of these makes kubectl look for a plugin `kubectl-create-WORD` on PATH
 * (measured: `kubectl create foo` runs it), so confinement refuses any other word there.
 */
export const CREATE_KINDS: readonly string[] = [
  'clusterrole',
  'clusterrolebinding',
  'configmap',
  'cm',
  'cronjob',
  'cj',
  'deployment',
  'deploy',
  'ingress',
  'ing',
  'job',
  'namespace',
  'ns',
  'poddisruptionbudget',
  'pdb',
  'priorityclass',
  'pc',
  'quota',
  'resourcequota',
  'role',
  'rolebinding',
  'secret',
  'service',
  'svc',
  'serviceaccount',
  'sa',
  'token',
];

const SELECTION = ['--filename=', '--selector=', '--recursive', '--kustomize='];
const DRY_RUN = ['--dry-run=client', '--dry-run=server'];

/** kubectl's commands. Anything not listed is refused, so kubectl never goes looking for a plugin. */
export const KUBECTL_COMMANDS: ReadonlyMap<string, KubectlCommandInfo> = new Map<string, KubectlCommandInfo>([
  [
    'get',
    {
      policy: allow,
      operands: 'resources',
      flags: [
        '--output=',
        '--watch',
        '--watch-only',
        '--show-labels',
        '--label-columns=',
        '--sort-by=',
        '--field-selector=',
        '--no-headers',
        '--show-kind',
        '--ignore-not-found',
        '--all-namespaces',
        '--output-watch-events',
        '--raw=',
        ...SELECTION,
      ],
    },
  ],
  [
    'describe',
    { policy: allow, operands: 'resources', flags: ['--show-events', '--all-namespaces', ...SELECTION] },
  ],
  [
    'apply',
    {
      policy: allow,
      children: ['view-last-applied', 'set-last-applied'],
      operands: 'none',
      flags: [
        '--record',
        '--server-side',
        '--prune',
        '--force',
        '--validate=',
        '--output=',
        '--field-manager=',
        '--overwrite',
        ...DRY_RUN,
        ...SELECTION,
      ],
    },
  ],
  [
    'create',
    {
      policy: allow,
      children: CREATE_KINDS,
      operands: 'none',
      flags: [
        '--save-config',
        '--output=',
        '--image=',
        '--replicas=',
        '--from-literal=',
        '--from-file=',
        '--from-env-file=',
        ...DRY_RUN,
        ...SELECTION,
      ],
    },
  ],
  [
    'delete',
    {
      policy: allow,
      operands: 'resources',
      flags: [
        '--all',
        '--now',
        '--force',
        '--grace-period=',
        '--wait',
        '--ignore-not-found',
        '--cascade=',
        '--field-selector=',
        ...DRY_RUN,
        ...SELECTION,
      ],
    },
  ],
  [
    'rollout',
    {
      policy: allow,
      children: ['history', 'undo', 'status', 'pause', 'resume', 'restart'],
      operands: 'workloads',
      flags: [
        '--revision=',
        '--to-revision=',
        '--timeout=',
        '--watch',
        '--output=',
        ...DRY_RUN,
        ...SELECTION,
      ],
    },
  ],
  [
    'set',
    {
      policy: allow,
      children: ['image', 'env', 'resources', 'selector', 'serviceaccount', 'subject'],
      operands: 'resources',
      flags: ['--record', '--all', '--local', '--output=', '--env=', ...DRY_RUN, ...SELECTION],
    },
  ],
  [
    'scale',
    {
      policy: allow,
      operands: 'resources',
      flags: [
        '--replicas=',
        '--current-replicas=',
        '--resource-version=',
        '--timeout=',
        '--all',
        ...DRY_RUN,
        ...SELECTION,
      ],
    },
  ],
  [
    'autoscale',
    {
      policy: allow,
      operands: 'resources',
      flags: ['--min=', '--max=', '--cpu-percent=', ...DRY_RUN, ...SELECTION],
    },
  ],
  [
    'logs',
    {
      policy: allow,
      operands: 'pods',
      flags: [
        '--follow',
        '--container=',
        '--previous',
        '--tail=',
        '--since=',
        '--timestamps',
        '--all-containers',
        '--prefix',
        '--selector=',
      ],
    },
  ],
  ['exec', { policy: allow, operands: 'pods', flags: ['--container=', '--quiet'] }],
  [
    'label',
    {
      policy: allow,
      operands: 'resources',
      flags: ['--overwrite', '--list', '--all', '--output=', ...DRY_RUN, ...SELECTION],
    },
  ],
  [
    'annotate',
    {
      policy: allow,
      operands: 'resources',
      flags: ['--overwrite', '--list', '--all', '--output=', ...DRY_RUN, ...SELECTION],
    },
  ],
  ['explain', { policy: allow, operands: 'types', flags: ['--recursive', '--api-version=', '--output='] }],
  ['edit', { policy: { kind: 'edit' }, operands: 'resources', flags: ['--filename='] }],
  [
    'patch',
    {
      policy: allow,
      operands: 'resources',
      flags: ['--patch=', '--patch-file=', '--type=', ...DRY_RUN, ...SELECTION],
    },
  ],
  [
    'replace',
    { policy: allow, operands: 'none', flags: ['--force', '--save-config', ...DRY_RUN, ...SELECTION] },
  ],
  ['diff', { policy: allow, operands: 'none', flags: ['--server-side', ...SELECTION] }],
  [
    'expose',
    {
      policy: allow,
      operands: 'resources',
      flags: ['--port=', '--target-port=', '--type=', '--name=', ...DRY_RUN, ...SELECTION],
    },
  ],
  [
    'run',
    {
      policy: allow,
      operands: 'none',
      flags: ['--image=', '--restart=', '--labels=', '--port=', '--env=', '--command', '--rm', ...DRY_RUN],
    },
  ],
  [
    'wait',
    {
      policy: allow,
      operands: 'resources',
      flags: ['--for=', '--timeout=', '--all', '--selector=', '--filename='],
    },
  ],
  ['events', { policy: allow, operands: 'none', flags: ['--for=', '--watch', '--types=', '--output='] }],
  [
    'top',
    { policy: allow, children: ['pod', 'node'], operands: 'none', flags: ['--containers', '--selector='] },
  ],
  ['version', { policy: allow, operands: 'none', flags: ['--client', '--output='] }],
  [
    'api-resources',
    { policy: allow, operands: 'none', flags: ['--namespaced', '--verbs=', '--api-group=', '--output='] },
  ],
  ['api-versions', { policy: allow, operands: 'none' }],
  ['auth', { policy: allow, children: ['can-i', 'whoami', 'reconcile'], operands: 'none' }],
  ['cluster-info', { policy: allow, operands: 'none' }],
  ['completion', { policy: allow, children: ['bash', 'zsh', 'fish', 'powershell'], operands: 'none' }],
  ['kustomize', { policy: allow, operands: 'none' }],
  ['config', { policy: allow, children: ['view'], operands: 'none' }],
  ['certificate', { policy: allow, children: ['approve', 'deny'], operands: 'none' }],
  ['cordon', { policy: allow, operands: 'none' }],
  ['uncordon', { policy: allow, operands: 'none' }],
  ['drain', { policy: allow, operands: 'none' }],
  ['taint', { policy: allow, operands: 'none' }],
  ['options', { policy: allow, operands: 'none' }],
  ['help', { policy: allow, operands: 'none' }],
  [
    'proxy',
    {
      policy: {
        kind: 'refuse',
        why: 'kubectl proxy opens a port on the server that runs this terminal',
        instead: 'To reach a Service, use curl with its name: curl http://vweb:8090/v.txt',
      },
    },
  ],
  [
    'port-forward',
    {
      policy: {
        kind: 'refuse',
        why: 'kubectl port-forward opens a port on the server that runs this terminal',
        instead:
          'curl reaches Services directly here: curl http://vweb:8090/v.txt or the LoadBalancer address curl http://localhost:8090/v.txt',
      },
    },
  ],
  [
    'cp',
    {
      policy: {
        kind: 'refuse',
        why: "kubectl cp copies files between pods and the server's disk",
        instead: 'Read a file inside a pod with kubectl exec POD -- cat /usr/share/nginx/html/v.txt',
      },
    },
  ],
  [
    'plugin',
    {
      policy: {
        kind: 'refuse',
        why: 'kubectl plugins are programs installed on the server',
        instead: "Only kubectl's built-in commands are available; kubectl help lists them.",
      },
    },
  ],
  [
    'debug',
    {
      policy: {
        kind: 'refuse',
        why: 'kubectl debug starts debugging containers and node shells with more rights than a lesson needs',
        instead: 'Look inside with kubectl describe, kubectl logs and kubectl exec POD -- COMMAND.',
      },
    },
  ],
  [
    'attach',
    {
      policy: {
        kind: 'refuse',
        why: 'kubectl attach needs an interactive stream that this terminal does not provide',
        instead: "Follow a pod's output with kubectl logs -f POD.",
      },
    },
  ],
  [
    'alpha',
    {
      policy: {
        kind: 'refuse',
        why: 'alpha commands are experimental and not part of this lesson',
        instead: "Use kubectl's stable commands; kubectl help lists them.",
      },
    },
  ],
]);

/** Flags kubectl accepts before the command name, as in `kubectl -n NS get pods`. */
export const GLOBAL_FLAGS_BEFORE_COMMAND = {
  /** Long flags that take a value (`--namespace X` or `--namespace=X`). */
  longWithValue: new Set(['namespace', 'v', 'vmodule', 'log-flush-frequency', 'request-timeout']),
  /** Long flags that never consume the next word. */
  longBoolean: new Set(['match-server-version', 'warnings-as-errors', 'disable-compression', 'help']),
  /** Shorthands that take a value (`-n X`, `-nX`, `-n=X`). */
  shortWithValue: new Set(['n', 'v']),
  /** Shorthands that take none. */
  shortBoolean: new Set(['h']),
};

/** Global flags completion offers after any command. */
export const GLOBAL_FLAGS_FOR_COMPLETION = ['--namespace=', '--request-timeout=', '--v=', '--help'];

/** kubectl's output formats, for `-o <TAB>`. */
export const OUTPUT_FORMATS = [
  'json',
  'yaml',
  'wide',
  'name',
  'custom-columns=',
  'jsonpath=',
  'jsonpath-as-json=',
  'go-template=',
];

/** One kind of object, the names kubectl accepts for it, and whether a name lookup makes sense. */
export interface ResourceType {
  /** Plural resource name, as `ListNames` receives it. */
  resource: string;
  /** Every spelling kubectl accepts: singular, plural, short names. */
  names: readonly string[];
}

/** The resource types of the chapter and its neighbours, with kubectl's short names. */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  { resource: 'pods', names: ['pod', 'pods', 'po'] },
  { resource: 'replicasets', names: ['replicaset', 'replicasets', 'rs'] },
  { resource: 'deployments', names: ['deployment', 'deployments', 'deploy'] },
  { resource: 'services', names: ['service', 'services', 'svc'] },
  { resource: 'configmaps', names: ['configmap', 'configmaps', 'cm'] },
  { resource: 'secrets', names: ['secret', 'secrets'] },
  { resource: 'daemonsets', names: ['daemonset', 'daemonsets', 'ds'] },
  { resource: 'statefulsets', names: ['statefulset', 'statefulsets', 'sts'] },
  { resource: 'controllerrevisions', names: ['controllerrevision', 'controllerrevisions'] },
  { resource: 'persistentvolumeclaims', names: ['persistentvolumeclaim', 'persistentvolumeclaims', 'pvc'] },
  { resource: 'endpoints', names: ['endpoints', 'ep'] },
  { resource: 'events', names: ['event', 'events', 'ev'] },
  { resource: 'serviceaccounts', names: ['serviceaccount', 'serviceaccounts', 'sa'] },
  { resource: 'jobs', names: ['job', 'jobs'] },
  { resource: 'cronjobs', names: ['cronjob', 'cronjobs', 'cj'] },
  { resource: 'resourcequotas', names: ['resourcequota', 'resourcequotas', 'quota'] },
  { resource: 'namespaces', names: ['namespace', 'namespaces', 'ns'] },
  { resource: 'nodes', names: ['node', 'nodes', 'no'] },
  { resource: 'all', names: ['all'] },
];

/** Types `kubectl rollout` works on. */
export const ROLLOUT_RESOURCES = new Set(['deployments', 'daemonsets', 'statefulsets']);

/** The plural resource for a typed type name (`deploy` → `deployments`), if known. */
export function findResourceType(typed: string): ResourceType | undefined {
  const name = typed.toLowerCase().split('.')[0]!;
  return RESOURCE_TYPES.find((t) => t.names.includes(name));
}
