/**
 * Short descriptions of the fields that Table columns show. They travel in every Table's
 * columnDefinitions; kubectl does not print them, other clients may show them as tooltips.
 * Our own wording; keys name the Go type and JSON field a column is read from.
 */
export const FIELD_DOCS = {
  'ConfigMap.data': 'The data of the config map, as its data field holds it.',
  'ControllerRevision.revision': 'The revision of the controller revision, as its revision field holds it.',
  'DaemonSetStatus.currentNumberScheduled':
    'The current number scheduled of the daemon set, as its currentNumberScheduled field holds it.',
  'DaemonSetStatus.desiredNumberScheduled':
    'The desired number scheduled of the daemon set, as its desiredNumberScheduled field holds it.',
  'DaemonSetStatus.numberAvailable':
    'The number available of the daemon set, as its numberAvailable field holds it.',
  'DaemonSetStatus.numberReady': 'The number ready of the daemon set, as its numberReady field holds it.',
  'DaemonSetStatus.updatedNumberScheduled':
    'The updated number scheduled of the daemon set, as its updatedNumberScheduled field holds it.',
  'DeploymentStatus.availableReplicas':
    'The available replicas of the deployment, as its availableReplicas field holds it.',
  'DeploymentStatus.updatedReplicas':
    'The updated replicas of the deployment, as its updatedReplicas field holds it.',
  'Endpoints.subsets': 'The subsets of the endpoints, as its subsets field holds it.',
  'Event.count': 'The count of the event, as its count field holds it.',
  'Event.firstTimestamp': 'The first timestamp of the event, as its firstTimestamp field holds it.',
  'Event.involvedObject': 'The involved object of the event, as its involvedObject field holds it.',
  'Event.lastTimestamp': 'The last timestamp of the event, as its lastTimestamp field holds it.',
  'Event.message': 'The message of the event, as its message field holds it.',
  'Event.reason': 'The reason of the event, as its reason field holds it.',
  'Event.source': 'The source of the event, as its source field holds it.',
  'Event.type': 'The type of the event, as its type field holds it.',
  'NodeStatus.addresses': 'The addresses of the node, as its addresses field holds it.',
  'NodeSystemInfo.containerRuntimeVersion':
    'The container runtime version of the node, as its containerRuntimeVersion field holds it.',
  'NodeSystemInfo.kernelVersion': 'The kernel version of the node, as its kernelVersion field holds it.',
  'NodeSystemInfo.kubeletVersion': 'The kubelet version of the node, as its kubeletVersion field holds it.',
  'NodeSystemInfo.osImage': 'The os image of the node, as its osImage field holds it.',
  'ObjectMeta.creationTimestamp':
    'The creation timestamp of the object meta, as its creationTimestamp field holds it.',
  'ObjectMeta.name': 'The name of the object meta, as its name field holds it.',
  'ObjectReference.fieldPath': 'The field path of the object reference, as its fieldPath field holds it.',
  'PersistentVolumeClaimSpec.volumeMode':
    'The volume mode of the persistent volume claim, as its volumeMode field holds it.',
  'PersistentVolumeClaimSpec.volumeName':
    'The volume name of the persistent volume claim, as its volumeName field holds it.',
  'PersistentVolumeClaimStatus.accessModes':
    'The access modes of the persistent volume claim, as its accessModes field holds it.',
  'PersistentVolumeClaimStatus.capacity':
    'The capacity of the persistent volume claim, as its capacity field holds it.',
  'PersistentVolumeClaimStatus.phase':
    'The phase of the persistent volume claim, as its phase field holds it.',
  'PersistentVolumeSpec.accessModes':
    'The access modes of the persistent volume, as its accessModes field holds it.',
  'PersistentVolumeSpec.capacity': 'The capacity of the persistent volume, as its capacity field holds it.',
  'PersistentVolumeSpec.claimRef': 'The claim ref of the persistent volume, as its claimRef field holds it.',
  'PersistentVolumeSpec.persistentVolumeReclaimPolicy':
    'The persistent volume reclaim policy of the persistent volume, as its persistentVolumeReclaimPolicy field holds it.',
  'PersistentVolumeSpec.volumeMode':
    'The volume mode of the persistent volume, as its volumeMode field holds it.',
  'PersistentVolumeStatus.phase': 'The phase of the persistent volume, as its phase field holds it.',
  'PersistentVolumeStatus.reason': 'The reason of the persistent volume, as its reason field holds it.',
  'PodSpec.nodeName': 'The node name of the pod, as its nodeName field holds it.',
  'PodSpec.nodeSelector': 'The node selector of the pod, as its nodeSelector field holds it.',
  'PodSpec.readinessGates': 'The readiness gates of the pod, as its readinessGates field holds it.',
  'PodStatus.nominatedNodeName':
    'The nominated node name of the pod, as its nominatedNodeName field holds it.',
  'PodStatus.podIP': 'The pod ip of the pod, as its podIP field holds it.',
  'ReplicaSetSpec.replicas': 'The replicas of the replica set, as its replicas field holds it.',
  'ReplicaSetStatus.readyReplicas':
    'The ready replicas of the replica set, as its readyReplicas field holds it.',
  'ReplicaSetStatus.replicas': 'The replicas of the replica set, as its replicas field holds it.',
  'ReplicationControllerSpec.replicas':
    'The replicas of the replication controller, as its replicas field holds it.',
  'Secret.data': 'The data of the secret, as its data field holds it.',
  'Secret.type': 'The type of the secret, as its type field holds it.',
  'ServiceAccount.secrets': 'The secrets of the service account, as its secrets field holds it.',
  'ServiceSpec.clusterIP': 'The cluster ip of the service, as its clusterIP field holds it.',
  'ServiceSpec.externalIPs': 'The external ips of the service, as its externalIPs field holds it.',
  'ServiceSpec.ports': 'The ports of the service, as its ports field holds it.',
  'ServiceSpec.selector': 'The selector of the service, as its selector field holds it.',
  'ServiceSpec.type': 'The type of the service, as its type field holds it.',
  'DaemonSetSpec.selector': 'The selector of the daemon set, as its selector field holds it.',
  'DeploymentSpec.selector': 'The selector of the deployment, as its selector field holds it.',
  'ReplicaSetSpec.selector': 'The selector of the replica set, as its selector field holds it.',
  'ClusterRoleBinding.roleRef': 'The role ref of the cluster role binding, as its roleRef field holds it.',
  'RoleBinding.roleRef': 'The role ref of the role binding, as its roleRef field holds it.',
} as const;

/** A documented field, e.g. `ObjectMeta.name`. */
export type DocumentedField = keyof typeof FIELD_DOCS;
