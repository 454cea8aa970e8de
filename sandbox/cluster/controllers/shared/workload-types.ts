/**
 * Typed views of the workload objects the Deployment and ReplicaSet controllers read and write.
 * Only the fields those controllers touch are named; everything else rides along in the index
 * signatures of KubeObject and ObjectMeta, so a learner's manifest keeps every field it was sent with.
 */
import type { JsonObject, KubeObject, LabelSelector, ObjectMeta } from '../../api/objects.ts';

/** An int or a percentage string (`1`, `"25%"`), as maxSurge and maxUnavailable are written. */
export type IntOrString = number | string;

/** A pod template: labels and annotations for the pods, and the pod spec. */
export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec?: JsonObject;
  [key: string]: unknown;
}

/** A condition as pods carry them (`Ready`, `PodScheduled`…). */
export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
  [key: string]: unknown;
}

/** The parts of a container status the pod ranking reads. */
export interface ContainerStatus {
  name?: string;
  restartCount?: number;
  [key: string]: unknown;
}

/** A Pod, as the controllers see it. */
export interface Pod extends KubeObject {
  spec?: { nodeName?: string; [key: string]: unknown };
  status?: {
    phase?: string;
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
    [key: string]: unknown;
  };
}

/** A condition of a ReplicaSet (`ReplicaFailure`). */
export interface ReplicaSetCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** ReplicaSet.spec. */
export interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  [key: string]: unknown;
}

/** ReplicaSet.status. */
export interface ReplicaSetStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

/** A ReplicaSet, as the controllers see it. */
export interface ReplicaSet extends KubeObject {
  spec: ReplicaSetSpec;
  status?: ReplicaSetStatus;
}

/** Deployment.spec.strategy. */
export interface DeploymentStrategy {
  type?: 'RollingUpdate' | 'Recreate' | string;
  rollingUpdate?: { maxSurge?: IntOrString; maxUnavailable?: IntOrString };
}

/** Deployment.spec. */
export interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  strategy?: DeploymentStrategy;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
  [key: string]: unknown;
}

/** A condition of a Deployment (`Available`, `Progressing`, `ReplicaFailure`). */
export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** Deployment.status. */
export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

/** A Deployment, as the controllers see it. */
export interface Deployment extends KubeObject {
  spec: DeploymentSpec;
  status?: DeploymentStatus;
}

/** A deep, mutable copy of a stored (frozen) object. */
export function cloneForWrite<T>(object: T): T {
  return structuredClone(object);
}
