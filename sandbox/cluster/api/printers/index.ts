/**
 * Server-side printing for the embedded API server: `printTable` turns objects into the Table
 * `kubectl get` prints, and `formatAge` gives ages the way Kubernetes writes them.
 */
export {
  formatAccessModes,
  formatLabelSelector,
  formatLabels,
  formatSelectorString,
} from './cell-formats.ts';
export { formatAge, formatTimestampSince } from './human-duration.ts';
export type { PodSummary } from './pod-printer.ts';
export { summarisePod } from './pod-printer.ts';
export type { ResourcePrinter } from './print-table.ts';
export {
  DEFAULT_PRINTER,
  describeRowObject,
  findPrinter,
  hasDedicatedPrinter,
  parseIncludeObject,
  printTable,
  UnknownIncludeObjectError,
} from './print-table.ts';
export { formatQuantity } from './quantity.ts';
export type {
  IncludeObjectPolicy,
  PartialObjectMetadata,
  PrintOptions,
  Table,
  TableCell,
  TableColumnDefinition,
  TableRow,
  TableRowCondition,
} from './table-types.ts';
