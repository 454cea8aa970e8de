/**
 * The facts lifecycle stages select on, derived from a pod, the kubelet's memory of it and the node.
 * Each unit (the pod itself, or one container) gets a flat record of small values, so a stage's
 * selector reads like data: `{ phase: 'Running', ready: false, process: ['serve', 'sleep'] }`.
 */
import type { ClusterApi } from '../api/cluster-api.ts';
import type { KubeObject } from '../api/objects.ts';
import { RESOURCES } from '../api/resources.ts';
import { lookupImage } from '../apps/catalog.ts';
import { type PodVolume, projectPodVolume, volumeSourcesOf } from '../apps/container-files.ts';
import { normalizeImageRef, pullPolicyOf } from '../apps/image-ref.ts';
import type { ClusterRuntimeState } from '../apps/runtime-state.ts';
import { type ContainerRuntime, isCompletedInit, type PodRuntime } from './pod-runtime.ts';

/** A fact's value. */
export type FactValue = string | boolean;

/** The facts of one unit. */
export type Facts = Readonly<Record<string, FactValue>>;

/** A container as pod specs carry it (the fields the kubelet reads). */
export interface ContainerSpec {
  name: string;
  image: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      configMapKeyRef?: { name: string; key: string; optional?: boolean };
      secretKeyRef?: { name: string; key: string; optional?: boolean };
    };
  }[];
  envFrom?: {
    configMapRef?: { name: string; optional?: boolean };
    secretRef?: { name: string; optional?: boolean };
  }[];
  volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
  readinessProbe?: Probe;
}

/** A readiness probe as pod specs carry it. */
export interface Probe {
  httpGet?: { path?: string; port: number | string; scheme?: string };
  tcpSocket?: { port: number | string };
  exec?: { command?: string[] };
  grpc?: { port: number };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

/** What the facts need from the node besides the pod. */
export interface NodeView {
  api: ClusterApi;
  state: ClusterRuntimeState;
  /** Whether the node holds an image (normalized reference). */
  hasImage(reference: string): boolean;
}

/** A pod's containers with their role, init containers first, in spec order. */
export function containerSpecsOf(pod: KubeObject): { spec: ContainerSpec; role: 'init' | 'app' }[] {
  const init = ((pod.spec?.initContainers ?? []) as ContainerSpec[]).map((spec) => ({
    spec,
    role: 'init' as const,
  }));
  const app = ((pod.spec?.containers ?? []) as ContainerSpec[]).map((spec) => ({
    spec,
    role: 'app' as const,
  }));
  return [...init, ...app];
}

/** The first volume a pod cannot mount, with the kubelet's reason. */
export function findMountFailure(
  api: ClusterApi,
  pod: KubeObject,
): { volume: string; message: string } | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  for (const volume of (pod.spec?.volumes ?? []) as PodVolume[]) {
    const projection = projectPodVolume(api, namespace, volume);
    if (!projection.ok) return { volume: volume.name, message: projection.message };
  }
  return undefined;
}

/** Whether a mounted ConfigMap or Secret changed since the kubelet last wrote its files. */
export function hasStaleVolumes(api: ClusterApi, state: ClusterRuntimeState, pod: KubeObject): boolean {
  const record = state.pods.get(pod.metadata.uid ?? '');
  if (!record) return false;
  const namespace = pod.metadata.namespace ?? 'default';
  for (const volume of (pod.spec?.volumes ?? []) as PodVolume[]) {
    if (volumeSourcesOf(volume).length === 0) continue;
    const snapshot = record.volumes.get(volume.name);
    const live = projectPodVolume(api, namespace, volume);
    // A source that disappeared keeps its last files, as the kubelet does.
    if (!live.ok) continue;
    if (!snapshot || snapshot.sourceVersion !== live.sourceVersion) return true;
  }
  return false;
}

/**
 * The first ConfigMap or Secret a container's environment needs but cannot get, worded as the
 * kubelet's CreateContainerConfigError: `configmap "todo-db-env" not found`.
 */
export function findMissingConfig(
  api: ClusterApi,
  namespace: string,
  container: ContainerSpec,
): string | undefined {
  const read = (kind: 'configmap' | 'secret', name: string) =>
    api.find(kind === 'configmap' ? RESOURCES.configmaps : RESOURCES.secrets, namespace, name);
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef && !source.configMapRef.optional && !read('configmap', source.configMapRef.name))
      return `configmap "${source.configMapRef.name}" not found`;
    if (source.secretRef && !source.secretRef.optional && !read('secret', source.secretRef.name))
      return `secret "${source.secretRef.name}" not found`;
  }
  for (const variable of container.env ?? []) {
    const fromConfig = variable.valueFrom?.configMapKeyRef;
    if (fromConfig && !fromConfig.optional) {
      const object = read('configmap', fromConfig.name);
      if (!object) return `configmap "${fromConfig.name}" not found`;
      if (!Object.hasOwn(object.data ?? {}, fromConfig.key))
        return `couldn't find key ${fromConfig.key} in ConfigMap ${namespace}/${fromConfig.name}`;
    }
    const fromSecret = variable.valueFrom?.secretKeyRef;
    if (fromSecret && !fromSecret.optional) {
      const object = read('secret', fromSecret.name);
      if (!object) return `secret "${fromSecret.name}" not found`;
      if (!Object.hasOwn(object.data ?? {}, fromSecret.key))
        return `couldn't find key ${fromSecret.key} in Secret ${namespace}/${fromSecret.name}`;
    }
  }
  return undefined;
}

/** Facts of the pod unit. */
export function computePodFacts(pod: KubeObject, runtime: PodRuntime, view: NodeView): Facts {
  const sandbox = runtime.sandboxAt !== undefined ? 'Ready' : 'None';
  return {
    scope: 'pod',
    admitted: runtime.admittedAt !== undefined,
    deleting: pod.metadata.deletionTimestamp !== undefined,
    stopping: runtime.stopping !== undefined,
    sandbox,
    volumes:
      runtime.admittedAt !== undefined && sandbox === 'None' && findMountFailure(view.api, pod)
        ? 'Missing'
        : 'Ready',
    volumesStale: sandbox === 'Ready' && hasStaleVolumes(view.api, view.state, pod),
  };
}

function imageNameFact(image: string): 'Valid' | 'Invalid' {
  try {
    normalizeImageRef(image);
    return 'Valid';
  } catch {
    return 'Invalid';
  }
}

/**
 * Facts of one container unit. `turn` says whether the container may start now: the sandbox is
 * up, the pod is not being deleted, and every init container before it has completed.
 */
export function computeContainerFacts(
  pod: KubeObject,
  runtime: PodRuntime,
  spec: ContainerSpec,
  container: ContainerRuntime,
  view: NodeView,
  podFacts: Facts,
): Facts {
  const ordered = [...runtime.containers.values()];
  const inits = ordered.filter((c) => c.role === 'init');
  const earlierInitsDone =
    container.role === 'init'
      ? inits.slice(0, inits.indexOf(container)).every(isCompletedInit)
      : inits.every(isCompletedInit);
  const turn =
    podFacts.sandbox === 'Ready' &&
    podFacts.deleting === false &&
    earlierInitsDone &&
    !isCompletedInit(container);

  const imageName = imageNameFact(spec.image);
  const policy = pullPolicyOf(spec.image, spec.imagePullPolicy);
  const present = imageName === 'Valid' && view.hasImage(normalizeImageRef(spec.image));
  let pull: 'Needed' | 'NotNeeded' | 'Never' = 'NotNeeded';
  if (imageName === 'Valid' && container.phase !== 'Pulled') {
    if (policy === 'Always' || (policy === 'IfNotPresent' && !present)) pull = 'Needed';
    else if (policy === 'Never' && !present) pull = 'Never';
  }
  let registry: 'Found' | 'NotFound' = 'NotFound';
  if (imageName === 'Valid') registry = lookupImage(spec.image).found ? 'Found' : 'NotFound';

  const restartPolicy = (pod.spec?.restartPolicy ?? 'Always') as string;
  const exitCode = container.exit ? (container.exit.exitCode === 0 ? 'Zero' : 'NonZero') : 'None';
  let willRestart = false;
  if (container.phase === 'Exited' && container.exit) {
    if (container.role === 'init') willRestart = container.exit.exitCode !== 0 && restartPolicy !== 'Never';
    else
      willRestart =
        restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && container.exit.exitCode !== 0);
  }
  const hasRun =
    container.startedAt !== undefined || container.exit !== undefined || container.restartCount > 0;
  return {
    scope: 'container',
    role: container.role,
    deleting: podFacts.deleting!,
    sandbox: podFacts.sandbox!,
    turn,
    phase: container.phase,
    imageName,
    pull,
    pullPolicy: policy,
    present,
    registry,
    config: turn && findMissingConfig(view.api, runtime.namespace, spec) ? 'Missing' : 'Ready',
    process: container.phase === 'Running' ? (container.process?.run.kind ?? 'serve') : 'none',
    ready: container.ready,
    probe: spec.readinessProbe ? 'Readiness' : 'None',
    exitCode,
    willRestart,
    restarted: container.restartCount > 0,
    specChanged: container.specImage !== spec.image && (hasRun || container.phase !== 'Waiting'),
  };
}
