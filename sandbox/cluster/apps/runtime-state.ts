/**
 * What a node holds that the API does not: the files the kubelet projected into each pod's volumes
 * (as of its last sync, not as of now) and each container's output. One record per cluster, kept
 * beside its ClusterApi so the simulated kubelets write it and the simulated apps read it, the way
 * containers read the files a real kubelet wrote onto the node's disk.
 */

/** The files of one volume as the kubelet last wrote them. */
export interface VolumeSnapshot {
  /** Path relative to the mount point → content. */
  files: Readonly<Record<string, string>>;
  /** resourceVersion of the ConfigMap or Secret read, to tell when a sync is due. */
  sourceVersion: string | undefined;
  /** Simulated ms when the files were written. */
  takenAt: number;
}

/** Files and output of one pod on its node. */
export interface PodRuntimeRecord {
  /** Volume name → files. */
  volumes: Map<string, VolumeSnapshot>;
  /** `container\0mountPath` → content of a subPath mount, fixed when the container started. */
  subPathFiles: Map<string, string>;
  /** `container\0restartCount` → lines the container wrote after start-up (access logs). */
  output: Map<string, string[]>;
}

/** The node-side state of every pod of one cluster, by pod uid. */
export interface ClusterRuntimeState {
  pods: Map<string, PodRuntimeRecord>;
}

const STATES = new WeakMap<object, ClusterRuntimeState>();

/** The node-side state of the cluster served by `api` (any object identifying the cluster). */
export function runtimeStateOf(api: object): ClusterRuntimeState {
  let state = STATES.get(api);
  if (!state) {
    state = { pods: new Map() };
    STATES.set(api, state);
  }
  return state;
}

/** The record of a pod, created on first use. */
export function podRuntimeRecord(state: ClusterRuntimeState, uid: string): PodRuntimeRecord {
  let record = state.pods.get(uid);
  if (!record) {
    record = { volumes: new Map(), subPathFiles: new Map(), output: new Map() };
    state.pods.set(uid, record);
  }
  return record;
}

/** The key of a subPath mount in PodRuntimeRecord.subPathFiles. */
export function subPathKey(container: string, mountPath: string): string {
  return `${container}\0${mountPath}`;
}

/** The key of a container run's output in PodRuntimeRecord.output. */
export function outputKey(container: string, restartCount: number): string {
  return `${container}\0${restartCount}`;
}

/** Most lines kept per container run; older ones are dropped as a log rotation would. */
const OUTPUT_LIMIT = 1_000;

/** Appends a line a running container wrote (an access log entry). */
export function appendContainerOutput(
  record: PodRuntimeRecord,
  container: string,
  restartCount: number,
  line: string,
): void {
  const key = outputKey(container, restartCount);
  const lines = record.output.get(key) ?? [];
  lines.push(line);
  if (lines.length > OUTPUT_LIMIT) lines.splice(0, lines.length - OUTPUT_LIMIT);
  record.output.set(key, lines);
}
