/**
 * Which protobuf field of which Kubernetes message is which JSON field, for the objects kubectl
 * 1.32+ sends as protobuf: `kubectl create <kind>`, `auth can-i`, `create token`, and the
 * DeleteOptions of `kubectl drain`. Field numbers and names are the API's interface, as declared by
 * the upstream generated.proto files (k8s.io/api core, apps, policy, rbac, authentication and
 * authorization v1; k8s.io/apimachinery meta v1, runtime, intstr, resource). Whether a field is a
 * pointer and whether its JSON tag has omitempty comes from the Go types, because that decides
 * what Go's JSON writes for a zero value.
 *
 * One message is one line of `number name:type` entries:
 *
 * - `type` is a scalar (`string`, `int32`, `int64`, `bool`, `bytes`), a special type with its own
 *   JSON spelling (`Time`, `Duration`, `Quantity`, `IntOrString`, `RawExtension`, `FieldsV1`), or
 *   another message of these tables.
 * - `*T` a Go pointer: written when on the wire, even when zero (`replicas: 0`).
 * - `[]T` repeated; `{T}` a map<string, T>.
 * - `T` alone is a Go value: scalars are left out when zero (omitempty); a struct is always
 *   written (`resources: {}`, `creationTimestamp: null`), as Go's omitempty never omits a struct.
 * - A trailing `!` means the JSON tag has no omitempty: a zero scalar is written (`port: 0`), an
 *   absent pointer, list or map becomes null (`audiences: null`).
 * - `...` instead of a name: an embedded struct whose fields JSON inlines into the parent
 *   (`Volume` holds its `VolumeSource` at field 2, JSON shows `emptyDir` next to `name`).
 *
 * Example: `'1 replicas:*int32, 2 selector:*LabelSelector!'` reads field 1 as `replicas` (written
 * iff sent) and field 2 as `selector` (null when not sent).
 */

/** Scalars: their value comes straight from the wire. */
export const SCALAR_TYPES = ['string', 'int32', 'int64', 'bool', 'bytes'] as const;
/** Types with their own JSON spelling; each is a small message on the wire. */
export const SPECIAL_TYPES = [
  'Time',
  'Duration',
  'Quantity',
  'IntOrString',
  'RawExtension',
  'FieldsV1',
] as const;

/** A scalar type name. */
export type ScalarType = (typeof SCALAR_TYPES)[number];
/** A special type name. */
export type SpecialType = (typeof SPECIAL_TYPES)[number];

/**
 * Messages reachable from the objects below that the tables deliberately leave out: a body that
 * sets one of them is refused (415) rather than decoded with the field silently missing. None is
 * set by a kubectl generator; they arrive only through `kubectl run --overrides`.
 */
export const UNSUPPORTED_MESSAGES: readonly string[] = [
  'Affinity',
  'PodSecurityContext',
  'SecurityContext',
  'Lifecycle',
  'EphemeralContainer',
  'ContainerStatus',
  'PodResourceClaimStatus',
  'GCEPersistentDiskVolumeSource',
  'AWSElasticBlockStoreVolumeSource',
  'GitRepoVolumeSource',
  'NFSVolumeSource',
  'ISCSIVolumeSource',
  'GlusterfsVolumeSource',
  'RBDVolumeSource',
  'FlexVolumeSource',
  'CinderVolumeSource',
  'CephFSVolumeSource',
  'FlockerVolumeSource',
  'DownwardAPIVolumeSource',
  'FCVolumeSource',
  'AzureFileVolumeSource',
  'VsphereVirtualDiskVolumeSource',
  'QuobyteVolumeSource',
  'AzureDiskVolumeSource',
  'PhotonPersistentDiskVolumeSource',
  'ProjectedVolumeSource',
  'PortworxVolumeSource',
  'ScaleIOVolumeSource',
  'StorageOSVolumeSource',
  'CSIVolumeSource',
  'EphemeralVolumeSource',
  'ImageVolumeSource',
];

/** k8s.io/apimachinery meta/v1. */
const META: Record<string, string> = {
  ObjectMeta:
    '1 name:string, 2 generateName:string, 3 namespace:string, 4 selfLink:string, 5 uid:string, ' +
    '6 resourceVersion:string, 7 generation:int64, 8 creationTimestamp:Time, 9 deletionTimestamp:*Time, ' +
    '10 deletionGracePeriodSeconds:*int64, 11 labels:{string}, 12 annotations:{string}, ' +
    '13 ownerReferences:[]OwnerReference, 14 finalizers:[]string, 17 managedFields:[]ManagedFieldsEntry',
  OwnerReference:
    '5 apiVersion:string!, 1 kind:string!, 3 name:string!, 4 uid:string!, 6 controller:*bool, ' +
    '7 blockOwnerDeletion:*bool',
  ManagedFieldsEntry:
    '1 manager:string, 2 operation:string, 3 apiVersion:string, 4 time:*Time, 6 fieldsType:string, ' +
    '7 fieldsV1:*FieldsV1, 8 subresource:string',
  LabelSelector: '1 matchLabels:{string}, 2 matchExpressions:[]LabelSelectorRequirement',
  LabelSelectorRequirement: '1 key:string!, 2 operator:string!, 3 values:[]string',
  FieldSelectorRequirement: '1 key:string!, 2 operator:string!, 3 values:[]string',
  Condition:
    '1 type:string!, 2 status:string!, 3 observedGeneration:int64, 4 lastTransitionTime:Time, ' +
    '5 reason:string!, 6 message:string!',
  DeleteOptions:
    '1 gracePeriodSeconds:*int64, 2 preconditions:*Preconditions, 3 orphanDependents:*bool, ' +
    '4 propagationPolicy:*string, 5 dryRun:[]string, 6 ignoreStoreReadErrorWithClusterBreakingPotential:*bool',
  Preconditions: '1 uid:*string, 2 resourceVersion:*string',
};

/** k8s.io/api core/v1. */
const CORE: Record<string, string> = {
  Namespace: '1 metadata:ObjectMeta, 2 spec:NamespaceSpec, 3 status:NamespaceStatus',
  NamespaceSpec: '1 finalizers:[]string',
  NamespaceStatus: '1 phase:string, 2 conditions:[]NamespaceCondition',
  NamespaceCondition:
    '1 type:string!, 2 status:string!, 4 lastTransitionTime:Time, 5 reason:string, 6 message:string',
  ConfigMap: '1 metadata:ObjectMeta, 4 immutable:*bool, 2 data:{string}, 3 binaryData:{bytes}',
  Secret: '1 metadata:ObjectMeta, 5 immutable:*bool, 2 data:{bytes}, 4 stringData:{string}, 3 type:string',
  ServiceAccount:
    '1 metadata:ObjectMeta, 2 secrets:[]ObjectReference, 3 imagePullSecrets:[]LocalObjectReference, ' +
    '4 automountServiceAccountToken:*bool',
  ObjectReference:
    '1 kind:string, 2 namespace:string, 3 name:string, 4 uid:string, 5 apiVersion:string, ' +
    '6 resourceVersion:string, 7 fieldPath:string',
  LocalObjectReference: '1 name:string',
  Service: '1 metadata:ObjectMeta, 2 spec:ServiceSpec, 3 status:ServiceStatus',
  ServiceSpec:
    '1 ports:[]ServicePort, 2 selector:{string}, 3 clusterIP:string, 18 clusterIPs:[]string, 4 type:string, ' +
    '5 externalIPs:[]string, 7 sessionAffinity:string, 8 loadBalancerIP:string, ' +
    '9 loadBalancerSourceRanges:[]string, 10 externalName:string, 11 externalTrafficPolicy:string, ' +
    '12 healthCheckNodePort:int32, 13 publishNotReadyAddresses:bool, ' +
    '14 sessionAffinityConfig:*SessionAffinityConfig, 19 ipFamilies:[]string, 17 ipFamilyPolicy:*string, ' +
    '20 allocateLoadBalancerNodePorts:*bool, 21 loadBalancerClass:*string, 22 internalTrafficPolicy:*string, ' +
    '23 trafficDistribution:*string',
  ServicePort:
    '1 name:string, 2 protocol:string, 6 appProtocol:*string, 3 port:int32!, 4 targetPort:IntOrString, ' +
    '5 nodePort:int32',
  ServiceStatus: '1 loadBalancer:LoadBalancerStatus, 2 conditions:[]Condition',
  LoadBalancerStatus: '1 ingress:[]LoadBalancerIngress',
  LoadBalancerIngress: '1 ip:string, 2 hostname:string, 3 ipMode:*string, 4 ports:[]PortStatus',
  PortStatus: '1 port:int32!, 2 protocol:string!, 3 error:*string',
  SessionAffinityConfig: '1 clientIP:*ClientIPConfig',
  ClientIPConfig: '1 timeoutSeconds:*int32',
  Pod: '1 metadata:ObjectMeta, 2 spec:PodSpec, 3 status:PodStatus',
  PodTemplateSpec: '1 metadata:ObjectMeta, 2 spec:PodSpec',
  PodSpec:
    '1 volumes:[]Volume, 20 initContainers:[]Container, 2 containers:[]Container!, ' +
    '34 ephemeralContainers:[]EphemeralContainer, 3 restartPolicy:string, ' +
    '4 terminationGracePeriodSeconds:*int64, 5 activeDeadlineSeconds:*int64, 6 dnsPolicy:string, ' +
    '7 nodeSelector:{string}, 8 serviceAccountName:string, 9 serviceAccount:string, ' +
    '21 automountServiceAccountToken:*bool, 10 nodeName:string, 11 hostNetwork:bool, 12 hostPID:bool, ' +
    '13 hostIPC:bool, 27 shareProcessNamespace:*bool, 14 securityContext:*PodSecurityContext, ' +
    '15 imagePullSecrets:[]LocalObjectReference, 16 hostname:string, 17 subdomain:string, ' +
    '18 affinity:*Affinity, 19 schedulerName:string, 22 tolerations:[]Toleration, ' +
    '23 hostAliases:[]HostAlias, 24 priorityClassName:string, 25 priority:*int32, ' +
    '26 dnsConfig:*PodDNSConfig, 28 readinessGates:[]PodReadinessGate, 29 runtimeClassName:*string, ' +
    '30 enableServiceLinks:*bool, 31 preemptionPolicy:*string, 32 overhead:{Quantity}, ' +
    '33 topologySpreadConstraints:[]TopologySpreadConstraint, 35 setHostnameAsFQDN:*bool, 36 os:*PodOS, ' +
    '37 hostUsers:*bool, 38 schedulingGates:[]PodSchedulingGate, 39 resourceClaims:[]PodResourceClaim, ' +
    '40 resources:*ResourceRequirements',
  PodStatus:
    '17 observedGeneration:int64, 1 phase:string, 2 conditions:[]PodCondition, 3 message:string, ' +
    '4 reason:string, 11 nominatedNodeName:string, 5 hostIP:string, 16 hostIPs:[]HostIP, 6 podIP:string, ' +
    '12 podIPs:[]PodIP, 7 startTime:*Time, 10 initContainerStatuses:[]ContainerStatus, ' +
    '8 containerStatuses:[]ContainerStatus, 9 qosClass:string, 13 ephemeralContainerStatuses:[]ContainerStatus, ' +
    '14 resize:string, 15 resourceClaimStatuses:[]PodResourceClaimStatus',
  PodCondition:
    '1 type:string!, 7 observedGeneration:int64, 2 status:string!, 3 lastProbeTime:Time, ' +
    '4 lastTransitionTime:Time, 5 reason:string, 6 message:string',
  PodIP: '1 ip:string!',
  HostIP: '1 ip:string!',
  Container:
    '1 name:string!, 2 image:string, 3 command:[]string, 4 args:[]string, 5 workingDir:string, ' +
    '6 ports:[]ContainerPort, 19 envFrom:[]EnvFromSource, 7 env:[]EnvVar, 8 resources:ResourceRequirements, ' +
    '23 resizePolicy:[]ContainerResizePolicy, 24 restartPolicy:*string, 9 volumeMounts:[]VolumeMount, ' +
    '21 volumeDevices:[]VolumeDevice, 10 livenessProbe:*Probe, 11 readinessProbe:*Probe, ' +
    '22 startupProbe:*Probe, 12 lifecycle:*Lifecycle, 13 terminationMessagePath:string, ' +
    '20 terminationMessagePolicy:string, 14 imagePullPolicy:string, 15 securityContext:*SecurityContext, ' +
    '16 stdin:bool, 17 stdinOnce:bool, 18 tty:bool',
  ContainerPort:
    '1 name:string, 2 hostPort:int32, 3 containerPort:int32!, 4 protocol:string, 5 hostIP:string',
  ContainerResizePolicy: '1 resourceName:string!, 2 restartPolicy:string!',
  EnvVar: '1 name:string!, 2 value:string, 3 valueFrom:*EnvVarSource',
  EnvVarSource:
    '1 fieldRef:*ObjectFieldSelector, 2 resourceFieldRef:*ResourceFieldSelector, ' +
    '3 configMapKeyRef:*ConfigMapKeySelector, 4 secretKeyRef:*SecretKeySelector',
  ConfigMapKeySelector: '1 ...:LocalObjectReference, 2 key:string!, 3 optional:*bool',
  SecretKeySelector: '1 ...:LocalObjectReference, 2 key:string!, 3 optional:*bool',
  ObjectFieldSelector: '1 apiVersion:string, 2 fieldPath:string!',
  ResourceFieldSelector: '1 containerName:string, 2 resource:string!, 3 divisor:Quantity',
  EnvFromSource: '1 prefix:string, 2 configMapRef:*ConfigMapEnvSource, 3 secretRef:*SecretEnvSource',
  ConfigMapEnvSource: '1 ...:LocalObjectReference, 2 optional:*bool',
  SecretEnvSource: '1 ...:LocalObjectReference, 2 optional:*bool',
  ResourceRequirements: '1 limits:{Quantity}, 2 requests:{Quantity}, 3 claims:[]ResourceClaim',
  ResourceClaim: '1 name:string!, 2 request:string',
  VolumeMount:
    '1 name:string!, 2 readOnly:bool, 7 recursiveReadOnly:*string, 3 mountPath:string!, 4 subPath:string, ' +
    '5 mountPropagation:*string, 6 subPathExpr:string',
  VolumeDevice: '1 name:string!, 2 devicePath:string!',
  Volume: '1 name:string!, 2 ...:VolumeSource',
  VolumeSource:
    '1 hostPath:*HostPathVolumeSource, 2 emptyDir:*EmptyDirVolumeSource, ' +
    '3 gcePersistentDisk:*GCEPersistentDiskVolumeSource, 4 awsElasticBlockStore:*AWSElasticBlockStoreVolumeSource, ' +
    '5 gitRepo:*GitRepoVolumeSource, 6 secret:*SecretVolumeSource, 7 nfs:*NFSVolumeSource, ' +
    '8 iscsi:*ISCSIVolumeSource, 9 glusterfs:*GlusterfsVolumeSource, ' +
    '10 persistentVolumeClaim:*PersistentVolumeClaimVolumeSource, 11 rbd:*RBDVolumeSource, ' +
    '12 flexVolume:*FlexVolumeSource, 13 cinder:*CinderVolumeSource, 14 cephfs:*CephFSVolumeSource, ' +
    '15 flocker:*FlockerVolumeSource, 16 downwardAPI:*DownwardAPIVolumeSource, 17 fc:*FCVolumeSource, ' +
    '18 azureFile:*AzureFileVolumeSource, 19 configMap:*ConfigMapVolumeSource, ' +
    '20 vsphereVolume:*VsphereVirtualDiskVolumeSource, 21 quobyte:*QuobyteVolumeSource, ' +
    '22 azureDisk:*AzureDiskVolumeSource, 23 photonPersistentDisk:*PhotonPersistentDiskVolumeSource, ' +
    '26 projected:*ProjectedVolumeSource, 24 portworxVolume:*PortworxVolumeSource, ' +
    '25 scaleIO:*ScaleIOVolumeSource, 27 storageos:*StorageOSVolumeSource, 28 csi:*CSIVolumeSource, ' +
    '29 ephemeral:*EphemeralVolumeSource, 30 image:*ImageVolumeSource',
  HostPathVolumeSource: '1 path:string!, 2 type:*string',
  EmptyDirVolumeSource: '1 medium:string, 2 sizeLimit:*Quantity',
  SecretVolumeSource: '1 secretName:string, 2 items:[]KeyToPath, 3 defaultMode:*int32, 4 optional:*bool',
  ConfigMapVolumeSource:
    '1 ...:LocalObjectReference, 2 items:[]KeyToPath, 3 defaultMode:*int32, 4 optional:*bool',
  PersistentVolumeClaimVolumeSource: '1 claimName:string!, 2 readOnly:bool',
  KeyToPath: '1 key:string!, 2 path:string!, 3 mode:*int32',
  Probe:
    '1 ...:ProbeHandler, 2 initialDelaySeconds:int32, 3 timeoutSeconds:int32, 4 periodSeconds:int32, ' +
    '5 successThreshold:int32, 6 failureThreshold:int32, 7 terminationGracePeriodSeconds:*int64',
  ProbeHandler:
    '1 exec:*ExecAction, 2 httpGet:*HTTPGetAction, 3 tcpSocket:*TCPSocketAction, 4 grpc:*GRPCAction',
  ExecAction: '1 command:[]string',
  HTTPGetAction:
    '1 path:string, 2 port:IntOrString, 3 host:string, 4 scheme:string, 5 httpHeaders:[]HTTPHeader',
  HTTPHeader: '1 name:string!, 2 value:string!',
  TCPSocketAction: '1 port:IntOrString, 2 host:string',
  GRPCAction: '1 port:int32!, 2 service:*string!',
  Toleration: '1 key:string, 2 operator:string, 3 value:string, 4 effect:string, 5 tolerationSeconds:*int64',
  HostAlias: '1 ip:string!, 2 hostnames:[]string',
  PodDNSConfig: '1 nameservers:[]string, 2 searches:[]string, 3 options:[]PodDNSConfigOption',
  PodDNSConfigOption: '1 name:string, 2 value:*string',
  PodReadinessGate: '1 conditionType:string!',
  PodOS: '1 name:string!',
  PodSchedulingGate: '1 name:string!',
  PodResourceClaim: '1 name:string!, 3 resourceClaimName:*string, 4 resourceClaimTemplateName:*string',
  TopologySpreadConstraint:
    '1 maxSkew:int32!, 2 topologyKey:string!, 3 whenUnsatisfiable:string!, 4 labelSelector:*LabelSelector, ' +
    '5 minDomains:*int32, 6 nodeAffinityPolicy:*string, 7 nodeTaintsPolicy:*string, 8 matchLabelKeys:[]string',
  ResourceQuota: '1 metadata:ObjectMeta, 2 spec:ResourceQuotaSpec, 3 status:ResourceQuotaStatus',
  ResourceQuotaSpec: '1 hard:{Quantity}, 2 scopes:[]string, 3 scopeSelector:*ScopeSelector',
  ResourceQuotaStatus: '1 hard:{Quantity}, 2 used:{Quantity}',
  ScopeSelector: '1 matchExpressions:[]ScopedResourceSelectorRequirement',
  ScopedResourceSelectorRequirement: '1 scopeName:string!, 2 operator:string!, 3 values:[]string',
};

/** k8s.io/api apps/v1. */
const APPS: Record<string, string> = {
  Deployment: '1 metadata:ObjectMeta, 2 spec:DeploymentSpec, 3 status:DeploymentStatus',
  DeploymentSpec:
    '1 replicas:*int32, 2 selector:*LabelSelector!, 3 template:PodTemplateSpec, 4 strategy:DeploymentStrategy, ' +
    '5 minReadySeconds:int32, 6 revisionHistoryLimit:*int32, 7 paused:bool, 9 progressDeadlineSeconds:*int32',
  DeploymentStrategy: '1 type:string, 2 rollingUpdate:*RollingUpdateDeployment',
  RollingUpdateDeployment: '1 maxUnavailable:*IntOrString, 2 maxSurge:*IntOrString',
  DeploymentStatus:
    '1 observedGeneration:int64, 2 replicas:int32, 3 updatedReplicas:int32, 7 readyReplicas:int32, ' +
    '4 availableReplicas:int32, 5 unavailableReplicas:int32, 9 terminatingReplicas:*int32, ' +
    '6 conditions:[]DeploymentCondition, 8 collisionCount:*int32',
  DeploymentCondition:
    '1 type:string!, 2 status:string!, 6 lastUpdateTime:Time, 7 lastTransitionTime:Time, 4 reason:string, ' +
    '5 message:string',
};

/** k8s.io/api policy/v1. */
const POLICY: Record<string, string> = {
  Eviction: '1 metadata:ObjectMeta, 2 deleteOptions:*DeleteOptions',
};

/** k8s.io/api rbac/v1. */
const RBAC: Record<string, string> = {
  Role: '1 metadata:ObjectMeta, 2 rules:[]PolicyRule!',
  ClusterRole: '1 metadata:ObjectMeta, 2 rules:[]PolicyRule!, 3 aggregationRule:*AggregationRule',
  AggregationRule: '1 clusterRoleSelectors:[]LabelSelector',
  PolicyRule:
    '1 verbs:[]string!, 2 apiGroups:[]string, 3 resources:[]string, 4 resourceNames:[]string, ' +
    '5 nonResourceURLs:[]string',
  RoleBinding: '1 metadata:ObjectMeta, 2 subjects:[]Subject, 3 roleRef:RoleRef',
  ClusterRoleBinding: '1 metadata:ObjectMeta, 2 subjects:[]Subject, 3 roleRef:RoleRef',
  Subject: '1 kind:string!, 2 apiGroup:string, 3 name:string!, 4 namespace:string',
  RoleRef: '1 apiGroup:string!, 2 kind:string!, 3 name:string!',
};

/** k8s.io/api authentication/v1 and authorization/v1. */
const AUTH: Record<string, string> = {
  TokenRequest: '1 metadata:ObjectMeta, 2 spec:TokenRequestSpec, 3 status:TokenRequestStatus',
  TokenRequestSpec:
    '1 audiences:[]string!, 4 expirationSeconds:*int64!, 3 boundObjectRef:*BoundObjectReference!',
  BoundObjectReference: '1 kind:string, 2 apiVersion:string, 3 name:string, 4 uid:string',
  TokenRequestStatus: '1 token:string!, 2 expirationTimestamp:Time',
  SelfSubjectAccessReview:
    '1 metadata:ObjectMeta, 2 spec:SelfSubjectAccessReviewSpec, 3 status:SubjectAccessReviewStatus',
  SelfSubjectAccessReviewSpec:
    '1 resourceAttributes:*ResourceAttributes, 2 nonResourceAttributes:*NonResourceAttributes',
  ResourceAttributes:
    '1 namespace:string, 2 verb:string, 3 group:string, 4 version:string, 5 resource:string, ' +
    '6 subresource:string, 7 name:string, 8 fieldSelector:*FieldSelectorAttributes, ' +
    '9 labelSelector:*LabelSelectorAttributes',
  NonResourceAttributes: '1 path:string, 2 verb:string',
  FieldSelectorAttributes: '1 rawSelector:string, 2 requirements:[]FieldSelectorRequirement',
  LabelSelectorAttributes: '1 rawSelector:string, 2 requirements:[]LabelSelectorRequirement',
  SubjectAccessReviewStatus: '1 allowed:bool!, 4 denied:bool, 2 reason:string, 3 evaluationError:string',
  SelfSubjectRulesReview:
    '1 metadata:ObjectMeta, 2 spec:SelfSubjectRulesReviewSpec, 3 status:SubjectRulesReviewStatus',
  SelfSubjectRulesReviewSpec: '1 namespace:string',
  SubjectRulesReviewStatus:
    '1 resourceRules:[]ResourceRule!, 2 nonResourceRules:[]NonResourceRule!, 3 incomplete:bool!, ' +
    '4 evaluationError:string',
  ResourceRule: '1 verbs:[]string!, 2 apiGroups:[]string, 3 resources:[]string, 4 resourceNames:[]string',
  NonResourceRule: '1 verbs:[]string!, 2 nonResourceURLs:[]string',
};

/** The top-level kinds a protobuf body may carry: `apiVersion/kind` → message. */
export const TOP_LEVEL_KINDS: Readonly<Record<string, string>> = {
  'v1/Namespace': 'Namespace',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/Service': 'Service',
  'v1/Pod': 'Pod',
  'v1/ResourceQuota': 'ResourceQuota',
  'apps/v1/Deployment': 'Deployment',
  'policy/v1/Eviction': 'Eviction',
  'rbac.authorization.k8s.io/v1/Role': 'Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'ClusterRoleBinding',
  'authentication.k8s.io/v1/TokenRequest': 'TokenRequest',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'SelfSubjectRulesReview',
};

/**
 * Kinds of meta/v1 that every group version carries: a typed client's DELETE sends DeleteOptions
 * under its own group version (`v1` for pods, `apps/v1` for deployments), so these match any.
 */
export const ANY_VERSION_KINDS: Readonly<Record<string, string>> = {
  DeleteOptions: 'DeleteOptions',
};

/** How a field's value is held in Go, which decides what its JSON looks like when zero. */
export type FieldShape = 'value' | 'pointer' | 'repeated' | 'map';

/** One field of a message, parsed from the table line. */
export interface FieldSpec {
  number: number;
  /** The JSON name; undefined for an inlined embedded struct. */
  jsonName: string | undefined;
  /** A scalar, a special type or a message name. */
  type: string;
  shape: FieldShape;
  /** No omitempty in the JSON tag (the table's `!`). */
  alwaysWritten: boolean;
}

/** A message: its fields by number, in Go's declaration order (the JSON key order). */
export interface MessageSpec {
  name: string;
  fields: FieldSpec[];
  byNumber: ReadonlyMap<number, FieldSpec>;
}

/** A table line that does not follow the grammar: a bug in this file, found at load. */
export class MessageTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageTableError';
  }
}

const FIELD_PATTERN = /^(\d+) (\.\.\.|[A-Za-z][A-Za-z0-9]*):(\*|\[\]|\{)?([A-Za-z][A-Za-z0-9]*)(\})?(!)?$/;

/** Parses one `number name:type` entry of a table line. */
export function parseFieldSpec(entry: string, message: string): FieldSpec {
  const match = FIELD_PATTERN.exec(entry.trim());
  if (!match) throw new MessageTableError(`${message}: cannot read field entry "${entry}"`);
  const [, number, name, prefix, type, closing, bang] = match;
  if ((prefix === '{') !== (closing === '}'))
    throw new MessageTableError(`${message}: unbalanced map in "${entry}"`);
  const shape: FieldShape =
    prefix === '*' ? 'pointer' : prefix === '[]' ? 'repeated' : prefix === '{' ? 'map' : 'value';
  const inline = name === '...';
  if (inline && (shape !== 'value' || bang)) {
    throw new MessageTableError(`${message}: an inlined field is a plain embedded struct ("${entry}")`);
  }
  return {
    number: Number(number),
    jsonName: inline ? undefined : name,
    type: type!,
    shape,
    alwaysWritten: !!bang,
  };
}

/** Parses a message's table line. */
export function parseMessageSpec(name: string, line: string): MessageSpec {
  const fields = line.split(',').map((entry) => parseFieldSpec(entry, name));
  const byNumber = new Map<number, FieldSpec>();
  for (const field of fields) {
    if (byNumber.has(field.number))
      throw new MessageTableError(`${name}: field ${field.number} appears twice`);
    byNumber.set(field.number, field);
  }
  return { name, fields, byNumber };
}

/** Parses groups of table lines into one registry; a name in two groups is a table bug. */
export function buildMessageRegistry(groups: readonly Record<string, string>[]): Map<string, MessageSpec> {
  const registry = new Map<string, MessageSpec>();
  for (const group of groups) {
    for (const [name, line] of Object.entries(group)) {
      if (registry.has(name)) throw new MessageTableError(`message ${name} is declared twice`);
      registry.set(name, parseMessageSpec(name, line));
    }
  }
  return registry;
}

/** Every message of the tables, parsed. */
export const MESSAGES: ReadonlyMap<string, MessageSpec> = buildMessageRegistry([
  META,
  CORE,
  APPS,
  POLICY,
  RBAC,
  AUTH,
]);

/** True for the scalar type names. */
export function isScalarType(type: string): type is ScalarType {
  return (SCALAR_TYPES as readonly string[]).includes(type);
}

/** True for the special type names. */
export function isSpecialType(type: string): type is SpecialType {
  return (SPECIAL_TYPES as readonly string[]).includes(type);
}
