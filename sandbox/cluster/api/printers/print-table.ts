/**
 * Server-side printing: turns the objects of one resource into the `meta.k8s.io/v1` Table that
 * `kubectl get` asks for. kubectl prints the columns it is given, adds NAMESPACE (`-A`) and LABELS
 * (`--show-labels`) from each row's object, and hides priority-1 columns unless `-o wide`, so the
 * Table always carries every column, wide ones included, like kube-apiserver's.
 */
import type { Json, KubeObject } from '../objects.ts';
import {
  CLUSTER_ROLE_BINDING_COLUMNS,
  CONFIG_MAP_COLUMNS,
  CONTROLLER_REVISION_COLUMNS,
  DAEMON_SET_COLUMNS,
  DEFAULT_COLUMNS,
  DEPLOYMENT_COLUMNS,
  ENDPOINTS_COLUMNS,
  EVENT_COLUMNS,
  NAMESPACE_COLUMNS,
  NODE_COLUMNS,
  PERSISTENT_VOLUME_CLAIM_COLUMNS,
  PERSISTENT_VOLUME_COLUMNS,
  POD_COLUMNS,
  REPLICA_SET_COLUMNS,
  RESOURCE_QUOTA_COLUMNS,
  ROLE_BINDING_COLUMNS,
  SECRET_COLUMNS,
  SERVICE_ACCOUNT_COLUMNS,
  SERVICE_COLUMNS,
  STATEFUL_SET_COLUMNS,
} from './columns.ts';
import {
  printConfigMapCells,
  printDefaultCells,
  printEventCells,
  printNamespaceCells,
  printNodeCells,
  printPersistentVolumeCells,
  printPersistentVolumeClaimCells,
  printResourceQuotaCells,
  printRoleBindingCells,
  printSecretCells,
  printServiceAccountCells,
} from './core-printers.ts';
import { printEndpointsCells, printServiceCells } from './network-printers.ts';
import { printPodCells } from './pod-printer.ts';
import type {
  IncludeObjectPolicy,
  PartialObjectMetadata,
  PrintOptions,
  Table,
  TableCell,
  TableColumnDefinition,
  TableRow,
  TableRowCondition,
} from './table-types.ts';
import {
  printControllerRevisionCells,
  printDaemonSetCells,
  printDeploymentCells,
  printReplicaSetCells,
  printStatefulSetCells,
} from './workload-printers.ts';

/** The cells of one row, and conditions where the kind has any (finished Pods). */
type RowPrinter = (
  object: KubeObject,
  now: number,
) => { cells: TableCell[]; conditions?: TableRowCondition[] };

/** How one resource prints: its columns and a function giving each object's cells in that order. */
export interface ResourcePrinter {
  columns: readonly TableColumnDefinition[];
  printRow: RowPrinter;
}

function cellsOnly(print: (object: KubeObject, now: number) => TableCell[]): RowPrinter {
  return (object, now) => ({ cells: print(object, now) });
}

/** Printers by plural resource name. Resources not listed print like {@link DEFAULT_PRINTER}. */
const PRINTERS: Readonly<Record<string, ResourcePrinter>> = {
  pods: { columns: POD_COLUMNS, printRow: printPodCells },
  deployments: { columns: DEPLOYMENT_COLUMNS, printRow: cellsOnly(printDeploymentCells) },
  replicasets: { columns: REPLICA_SET_COLUMNS, printRow: cellsOnly(printReplicaSetCells) },
  daemonsets: { columns: DAEMON_SET_COLUMNS, printRow: cellsOnly(printDaemonSetCells) },
  statefulsets: { columns: STATEFUL_SET_COLUMNS, printRow: cellsOnly(printStatefulSetCells) },
  controllerrevisions: {
    columns: CONTROLLER_REVISION_COLUMNS,
    printRow: cellsOnly(printControllerRevisionCells),
  },
  services: { columns: SERVICE_COLUMNS, printRow: cellsOnly(printServiceCells) },
  endpoints: { columns: ENDPOINTS_COLUMNS, printRow: cellsOnly(printEndpointsCells) },
  configmaps: { columns: CONFIG_MAP_COLUMNS, printRow: cellsOnly(printConfigMapCells) },
  secrets: { columns: SECRET_COLUMNS, printRow: cellsOnly(printSecretCells) },
  namespaces: { columns: NAMESPACE_COLUMNS, printRow: cellsOnly(printNamespaceCells) },
  nodes: { columns: NODE_COLUMNS, printRow: cellsOnly(printNodeCells) },
  serviceaccounts: { columns: SERVICE_ACCOUNT_COLUMNS, printRow: cellsOnly(printServiceAccountCells) },
  resourcequotas: { columns: RESOURCE_QUOTA_COLUMNS, printRow: cellsOnly(printResourceQuotaCells) },
  events: { columns: EVENT_COLUMNS, printRow: cellsOnly(printEventCells) },
  persistentvolumeclaims: {
    columns: PERSISTENT_VOLUME_CLAIM_COLUMNS,
    printRow: cellsOnly(printPersistentVolumeClaimCells),
  },
  persistentvolumes: {
    columns: PERSISTENT_VOLUME_COLUMNS,
    printRow: cellsOnly(printPersistentVolumeCells),
  },
  rolebindings: { columns: ROLE_BINDING_COLUMNS, printRow: cellsOnly(printRoleBindingCells) },
  clusterrolebindings: {
    columns: CLUSTER_ROLE_BINDING_COLUMNS,
    printRow: cellsOnly(printRoleBindingCells),
  },
};

/**
 * The fallback kube-apiserver uses for resources without a printer (Roles, ClusterRoles,
 * LimitRanges, …): NAME and CREATED AT.
 */
export const DEFAULT_PRINTER: ResourcePrinter = {
  columns: DEFAULT_COLUMNS,
  printRow: (object) => ({ cells: printDefaultCells(object) }),
};

/** The printer for a plural resource name (`replicasets`), or the default one. */
export function findPrinter(resource: string): ResourcePrinter {
  return Object.hasOwn(PRINTERS, resource) ? (PRINTERS[resource] as ResourcePrinter) : DEFAULT_PRINTER;
}

/** Whether the resource has a printer of its own rather than the NAME / CREATED AT fallback. */
export function hasDedicatedPrinter(resource: string): boolean {
  return Object.hasOwn(PRINTERS, resource);
}

/** Thrown for an `includeObject` value kube-apiserver would reject with 400 Bad Request. */
export class UnknownIncludeObjectError extends Error {
  readonly value: string;
  constructor(value: string) {
    super(`unrecognized includeObject value: "${value}" (expected None, Metadata or Object)`);
    this.name = 'UnknownIncludeObjectError';
    this.value = value;
  }
}

/**
 * Reads the `includeObject` query parameter. Absent or empty means `Metadata`, the server default;
 * anything other than the three policies throws {@link UnknownIncludeObjectError}.
 */
export function parseIncludeObject(value: string | null | undefined): IncludeObjectPolicy {
  if (value === undefined || value === null || value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  throw new UnknownIncludeObjectError(value);
}

/** The object as a row carries it: metadata only, all of it, or nothing. */
export function describeRowObject(
  object: KubeObject,
  policy: IncludeObjectPolicy,
): PartialObjectMetadata | Json | null {
  switch (policy) {
    case 'None':
      return null;
    case 'Object':
      return structuredClone(object) as unknown as Json;
    default:
      return {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: structuredClone(object.metadata),
      };
  }
}

/**
 * Builds the Table for `objects` of `resource` (plural, e.g. `replicasets`), one row per object in
 * the order given. Works for a list and, with one object, for a GET of that object or a watch event.
 * Throws {@link UnknownIncludeObjectError} for an invalid `includeObject`.
 */
export function printTable(resource: string, objects: readonly KubeObject[], options: PrintOptions): Table {
  const printer = findPrinter(resource);
  const policy = parseIncludeObject(options.includeObject);
  const rows = objects.map((object): TableRow => {
    const { cells, conditions } = printer.printRow(object, options.now);
    // Key order follows kube-apiserver's JSON: cells, conditions, object.
    return conditions
      ? {
          cells,
          conditions: conditions.map((condition) => ({ ...condition })),
          object: describeRowObject(object, policy),
        }
      : { cells, object: describeRowObject(object, policy) };
  });
  const metadata: Table['metadata'] = { resourceVersion: options.resourceVersion };
  if (options.continueToken) metadata.continue = options.continueToken;
  if (options.remainingItemCount !== undefined) metadata.remainingItemCount = options.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.noHeaders ? null : printer.columns.map((column) => ({ ...column })),
    rows,
  };
}
