/**
 * The `meta.k8s.io/v1` Table that kube-apiserver returns when a client asks for
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. kubectl prints its columns as they come,
 * so the shape and the cell values here decide what a learner sees in `kubectl get`.
 */
import type { Json, ObjectMeta } from '../objects.ts';

/** One column. Every field is always present on the wire (upstream has no `omitempty` here). */
export interface TableColumnDefinition {
  /** Human name; kubectl upper-cases it for the header (`Up-to-date` becomes `UP-TO-DATE`). */
  name: string;
  /** An OpenAPI type: `string`, `integer`, `number`, `boolean`, or `date`. */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** An OpenAPI format hint; `name` marks the column that names the object, otherwise empty. */
  format: string;
  description: string;
  /** 0 for columns kubectl always shows; higher ones appear only with `-o wide`. */
  priority: number;
}

/** Why a row deserves less attention, e.g. a Pod that has run to completion. */
export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** The metadata-only view of an object that rows carry by default. */
export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

/** A cell value: strings, integers and booleans are what the printers produce. */
export type TableCell = string | number | boolean;

export interface TableRow {
  /** One value per column definition, in the same order. */
  cells: TableCell[];
  conditions?: TableRowCondition[];
  /** What `includeObject` asked for: metadata only (default), the whole object, or nothing (null). */
  object: PartialObjectMetadata | Json | null;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  /** Null when the client asked for `noHeaders` (watch events after the first one do). */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** The `includeObject` query parameter kubectl can send; the server's default is `Metadata`. */
export type IncludeObjectPolicy = 'None' | 'Metadata' | 'Object';

/** Everything a printer needs besides the objects. */
export interface PrintOptions {
  /** Simulated time in ms since the epoch; ages are measured against it. */
  now: number;
  /** Defaults to `Metadata`, as kube-apiserver does when the parameter is absent. */
  includeObject?: IncludeObjectPolicy;
  /** The list's resourceVersion (or the single object's, for a GET of one object). */
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
  /** Leave out the column definitions, as the `noHeaders` table option asks. */
  noHeaders?: boolean;
}
