/**
 * What kube-apiserver 1.32 fills into an object between decoding a request and storing it, so that
 * `kubectl get <kind> -o yaml` shows what a real cluster shows:
 *
 * - defaulting (Kubernetes' pkg/apis/{core,apps,rbac}/v1 defaults.go and the generated defaulters),
 *   e.g. a Deployment's `replicas: 1`, its `strategy`, each container's `imagePullPolicy`;
 * - the few values the v1 wire form always carries because Go prints zero-valued structs, e.g.
 *   `resources: {}` in containers, `creationTimestamp: null` in templates, `status: {}`;
 * - decode-time conversions: canonical quantities (`0.5` → `500m`), a Secret's `stringData`
 *   folded into `data`, the deprecated `serviceAccount` mirrored from `serviceAccountName`;
 * - allocation-style defaults the brief asks for: a Service's `ipFamilies` / `ipFamilyPolicy`,
 *   and on create a Namespace's `kubernetes` finalizer.
 *
 * Call it on every write (create, update, patch result, status update): like upstream defaulting
 * it is idempotent, and it returns a new object, never modifying its input.
 */
import type { KubeObject } from '../objects.ts';
import { isRecord } from '../validation/json-access.ts';
import {
  canonicalizeResourceList,
  defaultClaimSpec,
  defaultPodSpec,
  defaultPodTemplate,
  ensureObject,
  type Obj,
  objectsIn,
  setDefault,
  setDefaultString,
} from './pod-defaults.ts';

/** Options for applyDefaults. */
export interface DefaultsOptions {
  /**
   * Whether the object is being created. Create-only preparation (a Namespace's `kubernetes`
   * finalizer) happens only then, so that removing the finalizer later sticks. When omitted, an
   * object without `metadata.uid` and `metadata.resourceVersion` counts as being created.
   */
  operation?: 'create' | 'update';
}

type KindDefaulter = (object: Obj, creating: boolean) => void;

function defaultDeployment(object: Obj): void {
  const spec = ensureObject(object, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = ensureObject(spec, 'strategy');
  setDefaultString(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = ensureObject(strategy, 'rollingUpdate');
    setDefault(rolling, 'maxUnavailable', '25%');
    setDefault(rolling, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(ensureObject(spec, 'template'));
  ensureObject(object, 'status');
}

function defaultReplicaSet(object: Obj): void {
  const spec = ensureObject(object, 'spec');
  setDefault(spec, 'replicas', 1);
  defaultPodTemplate(ensureObject(spec, 'template'));
  // ReplicaSetStatus.replicas has no omitempty: a fresh or scaled-down set shows `replicas: 0`.
  setDefault(ensureObject(object, 'status'), 'replicas', 0);
}

function defaultDaemonSet(object: Obj): void {
  const spec = ensureObject(object, 'spec');
  const strategy = ensureObject(spec, 'updateStrategy');
  setDefaultString(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = ensureObject(strategy, 'rollingUpdate');
    setDefault(rolling, 'maxUnavailable', 1);
    setDefault(rolling, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(ensureObject(spec, 'template'));
  const status = ensureObject(object, 'status');
  for (const key of ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'])
    setDefault(status, key, 0);
}

function defaultStatefulSet(object: Obj): void {
  const spec = ensureObject(object, 'spec');
  setDefaultString(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = ensureObject(spec, 'updateStrategy');
  if (typeof strategy.type !== 'string' || strategy.type === '') {
    strategy.type = 'RollingUpdate';
    // Only an omitted strategy gets an empty rollingUpdate; `type: RollingUpdate` alone does not.
    ensureObject(strategy, 'rollingUpdate');
  }
  if (strategy.type === 'RollingUpdate' && isRecord(strategy.rollingUpdate))
    setDefault(strategy.rollingUpdate, 'partition', 0);
  const retention = ensureObject(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefaultString(retention, 'whenDeleted', 'Retain');
  setDefaultString(retention, 'whenScaled', 'Retain');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  // serviceName has no omitempty in 1.32.
  setDefault(spec, 'serviceName', '');
  defaultPodTemplate(ensureObject(spec, 'template'));
  for (const claim of objectsIn(spec, 'volumeClaimTemplates')) {
    // The API server writes the embedded claims' type and zero timestamps back out.
    setDefaultString(claim, 'apiVersion', 'v1');
    setDefaultString(claim, 'kind', 'PersistentVolumeClaim');
    setDefault(ensureObject(claim, 'metadata'), 'creationTimestamp', null);
    defaultClaimSpec(ensureObject(claim, 'spec'));
    const claimStatus = ensureObject(claim, 'status');
    setDefaultString(claimStatus, 'phase', 'Pending');
    canonicalizeResourceList(claimStatus, 'capacity');
  }
  const status = ensureObject(object, 'status');
  setDefault(status, 'replicas', 0);
  setDefault(status, 'availableReplicas', 0);
}

function defaultControllerRevision(object: Obj): void {
  setDefault(object, 'revision', 0);
}

function defaultPod(object: Obj): void {
  defaultPodSpec(ensureObject(object, 'spec'), true);
  const status = ensureObject(object, 'status');
  // metav1.Time prints a zero value as null, so conditions always show lastProbeTime.
  for (const condition of objectsIn(status, 'conditions')) {
    setDefault(condition, 'lastProbeTime', null);
    setDefault(condition, 'lastTransitionTime', null);
  }
}

function hasSelector(spec: Obj): boolean {
  return isRecord(spec.selector) && Object.keys(spec.selector).length > 0;
}

function defaultService(object: Obj): void {
  const spec = ensureObject(object, 'spec');
  setDefaultString(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const config = isRecord(spec.sessionAffinityConfig) ? spec.sessionAffinityConfig : undefined;
    const clientIP = config && isRecord(config.clientIP) ? config.clientIP : undefined;
    if (!clientIP || clientIP.timeoutSeconds === undefined || clientIP.timeoutSeconds === null) {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
    }
  }
  setDefaultString(spec, 'type', 'ClusterIP');
  for (const port of objectsIn(spec, 'ports')) {
    setDefaultString(port, 'protocol', 'TCP');
    if (
      port.targetPort === undefined ||
      port.targetPort === null ||
      port.targetPort === 0 ||
      port.targetPort === ''
    ) {
      port.targetPort = port.port;
    }
  }
  const type = spec.type;
  const externalIPs = Array.isArray(spec.externalIPs) ? spec.externalIPs : [];
  const externallyAccessible =
    type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && externalIPs.length > 0);
  if (externallyAccessible) setDefaultString(spec, 'externalTrafficPolicy', 'Cluster');
  if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP')
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  if (type !== 'ExternalName') {
    // What the IP allocator of a single-stack IPv4 cluster records; headless Services without a
    // selector are asked for both families and get what the cluster has.
    const headless =
      spec.clusterIP === 'None' || (Array.isArray(spec.clusterIPs) && spec.clusterIPs[0] === 'None');
    setDefault(spec, 'ipFamilyPolicy', headless && !hasSelector(spec) ? 'RequireDualStack' : 'SingleStack');
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
  }
  const status = ensureObject(object, 'status');
  const loadBalancer = ensureObject(status, 'loadBalancer');
  if (type === 'LoadBalancer') {
    for (const ingress of objectsIn(loadBalancer, 'ingress')) {
      if (typeof ingress.ip === 'string' && ingress.ip !== '') setDefault(ingress, 'ipMode', 'VIP');
    }
  }
}

function defaultNamespace(object: Obj, creating: boolean): void {
  const metadata = ensureObject(object, 'metadata');
  if (typeof metadata.name === 'string' && metadata.name !== '') {
    ensureObject(metadata, 'labels')['kubernetes.io/metadata.name'] = metadata.name;
  }
  const spec = ensureObject(object, 'spec');
  if (creating) {
    const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers : [];
    if (!finalizers.includes('kubernetes')) spec.finalizers = [...finalizers, 'kubernetes'];
  }
  setDefaultString(ensureObject(object, 'status'), 'phase', 'Active');
}

function defaultPersistentVolumeClaim(object: Obj): void {
  defaultClaimSpec(ensureObject(object, 'spec'));
  const status = ensureObject(object, 'status');
  setDefaultString(status, 'phase', 'Pending');
  canonicalizeResourceList(status, 'capacity');
  canonicalizeResourceList(status, 'allocatedResources');
}

function defaultSecret(object: Obj): void {
  setDefaultString(object, 'type', 'Opaque');
  // stringData is write-only: decoding folds it into data (base64), overriding keys of the same name.
  if (isRecord(object.stringData)) {
    const data = ensureObject(object, 'data');
    for (const [key, value] of Object.entries(object.stringData)) {
      data[key] = Buffer.from(typeof value === 'string' ? value : String(value), 'utf8').toString('base64');
    }
  }
  delete object.stringData;
}

function defaultResourceQuota(object: Obj): void {
  canonicalizeResourceList(ensureObject(object, 'spec'), 'hard');
  const status = ensureObject(object, 'status');
  canonicalizeResourceList(status, 'hard');
  canonicalizeResourceList(status, 'used');
}

function defaultRoleBinding(object: Obj): void {
  setDefaultString(ensureObject(object, 'roleRef'), 'apiGroup', 'rbac.authorization.k8s.io');
  for (const subject of objectsIn(object, 'subjects')) {
    if (subject.kind === 'User' || subject.kind === 'Group')
      setDefaultString(subject, 'apiGroup', 'rbac.authorization.k8s.io');
  }
}

function defaultEvent(object: Obj): void {
  // Zero timestamps print as null and these strings have no omitempty, as `kubectl get events -o yaml` shows.
  setDefault(object, 'eventTime', null);
  setDefault(object, 'firstTimestamp', null);
  setDefault(object, 'lastTimestamp', null);
  setDefault(object, 'reportingComponent', '');
  setDefault(object, 'reportingInstance', '');
  ensureObject(object, 'source');
  ensureObject(object, 'involvedObject');
}

const DEFAULTERS: Readonly<Record<string, KindDefaulter>> = {
  Namespace: defaultNamespace,
  Pod: defaultPod,
  Service: defaultService,
  Secret: defaultSecret,
  PersistentVolumeClaim: defaultPersistentVolumeClaim,
  ResourceQuota: defaultResourceQuota,
  Deployment: defaultDeployment,
  ReplicaSet: defaultReplicaSet,
  DaemonSet: defaultDaemonSet,
  StatefulSet: defaultStatefulSet,
  ControllerRevision: defaultControllerRevision,
  RoleBinding: defaultRoleBinding,
  ClusterRoleBinding: defaultRoleBinding,
  Event: defaultEvent,
};

function looksNew(object: KubeObject): boolean {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  return !metadata.uid && !metadata.resourceVersion;
}

/**
 * A copy of `obj` with everything kube-apiserver 1.32 fills in for this kind. Example: a
 * Deployment with one container `web` (image `kiamol/ch09-vweb:v1`) gains `replicas: 1`, a
 * RollingUpdate strategy with 25%/25%, `revisionHistoryLimit: 10`, `progressDeadlineSeconds: 600`,
 * and in its template `imagePullPolicy: IfNotPresent`, `dnsPolicy: ClusterFirst`,
 * `terminationGracePeriodSeconds: 30`, ... Kinds without defaults come back as a plain copy.
 */
export function applyDefaults(kind: string, obj: KubeObject, options: DefaultsOptions = {}): KubeObject {
  const copy = structuredClone(obj);
  const defaulter = DEFAULTERS[kind];
  if (defaulter) {
    const creating = options.operation ? options.operation === 'create' : looksNew(obj);
    defaulter(copy as Obj, creating);
  }
  return copy;
}

/** The kinds applyDefaults changes (others are copied unchanged). */
export const DEFAULTED_KINDS: readonly string[] = Object.keys(DEFAULTERS);
