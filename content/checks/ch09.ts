/**
 * Chapter 9's step checks: for each lesson step id, the end state its commands leave in the
 * namespace (see /work/shared/CHAPTER9.md). Each entry is chosen so that the state the previous
 * step leaves does not already pass it: a step is never marked done before its commands have run.
 */
import type { CheckInput } from '../../sandbox/checks/schema.ts';

const V1 = 'kiamol/ch09-vweb:v1';
const V2 = 'kiamol/ch09-vweb:v2';
const V3 = 'kiamol/ch09-vweb:v3';

/** Checks per step id, in lesson order. */
export const ch09Checks: Readonly<Record<string, readonly CheckInput[]>> = {
  // 9.1 — scaling changes the ReplicaSet's numbers, not the revision.
  'scale-is-not-a-rollout': [
    {
      kind: 'replicaSets',
      selector: 'app=vweb',
      count: 1,
      replicaSets: [{ desired: 3, ready: 3, revision: 1 }],
    },
    { kind: 'rolloutHistory', deployment: 'vweb', revisions: 1 },
  ],
  'set-image-rollout': [
    {
      kind: 'replicaSets',
      selector: 'app=vweb',
      count: 2,
      replicaSets: [
        { desired: 3, ready: 3, revision: 2 },
        { desired: 0, ready: 0, revision: 1 },
      ],
    },
    { kind: 'deployment', name: 'vweb', image: V2 },
  ],
  'label-change-rollout': [
    {
      kind: 'replicaSets',
      selector: 'app=vweb',
      count: 3,
      replicaSets: [{ desired: 3, ready: 3, revision: 3 }],
    },
    { kind: 'rolloutHistory', deployment: 'vweb', revisions: 3 },
    { kind: 'pods', selector: 'app=vweb,version=v1.1', count: 3, ready: true, image: V1 },
  ],
  // 9.2 — the v2 manifest's template differs from revision 2 (label version=v2), so it is revision 4.
  'record-change-cause': [
    {
      kind: 'rolloutHistory',
      deployment: 'vweb',
      latestRevision: 4,
      changeCauseContains: 'vweb-v2.yaml',
    },
    { kind: 'deployment', name: 'vweb', image: V2, ready: 3 },
  ],
  // Undoing to revision 2 brings back its template (label version=v1, image v2) as revision 5.
  'undo-to-revision': [
    { kind: 'rolloutHistory', deployment: 'vweb', latestRevision: 5, revisions: 4 },
    { kind: 'pods', selector: 'app=vweb,version=v1', count: 3, ready: true, image: V2 },
  ],
  // The last undo returns from v4.1 to v4; the v4.1 ConfigMap proves the step went that far.
  'configmap-versions': [
    { kind: 'configMap', name: 'vweb-config', data: { 'v.txt': 'v3.1' } },
    { kind: 'configMap', name: 'vweb-config-v4', data: { 'v.txt': 'v4-from-config' } },
    { kind: 'configMap', name: 'vweb-config-v41', data: { 'v.txt': 'v4.1-from-config' } },
    { kind: 'pods', selector: 'app=vweb,version=v4', count: 3, ready: true },
  ],
  // 9.3 — Recreate with the v3 image: every pod is the crashing v3, none ready.
  'recreate-strategy': [
    { kind: 'deployment', name: 'vweb', strategy: 'Recreate', image: V3, replicas: 3 },
    { kind: 'pods', selector: 'app=vweb', count: 3, ready: false, image: V3 },
  ],
  // The rolling v2 template equals revision 1's (Recreate v2), so that ReplicaSet returns as revision 3.
  'rolling-update-surge': [
    {
      kind: 'deployment',
      name: 'vweb',
      strategy: 'RollingUpdate',
      image: V2,
      replicas: 3,
      updated: 3,
      available: 3,
    },
    { kind: 'rolloutHistory', deployment: 'vweb', latestRevision: 3 },
    { kind: 'pods', selector: 'app=vweb', count: 3, ready: true, image: V2 },
  ],
  'min-ready-seconds': [
    {
      kind: 'replicaSets',
      selector: 'app=vweb',
      count: 2,
      replicaSets: [
        { desired: 4, ready: 4, revision: 2 },
        { desired: 0, revision: 1 },
      ],
    },
    { kind: 'deployment', name: 'vweb', image: V2, replicas: 4, updated: 4, available: 4 },
  ],
  // After the failed v3 rollout (revision 3) and the undo, v2 is back as revision 4.
  'progress-deadline': [
    {
      kind: 'replicaSets',
      selector: 'app=vweb',
      count: 3,
      replicaSets: [
        { ready: 3, revision: 4 },
        { desired: 0, revision: 3 },
      ],
    },
    { kind: 'deployment', name: 'vweb', image: V2, replicas: 3, available: 3 },
  ],
  // 9.4
  'deploy-todo-app': [
    {
      kind: 'statefulSet',
      name: 'todo-db',
      ready: 2,
      podImages: { '0': 'postgres:11.6-alpine', '1': 'postgres:11.6-alpine' },
    },
    { kind: 'deployment', name: 'todo-web', ready: 1 },
    { kind: 'daemonSet', name: 'todo-proxy', image: 'nginx:1.17-alpine' },
    { kind: 'pods', selector: 'app=todo-proxy', count: 1, countMode: 'atLeast', ready: true },
  ],
  'daemonset-update': [
    { kind: 'daemonSet', name: 'todo-proxy', image: 'nginx:1.18-alpine', latestRevision: 2 },
    { kind: 'pods', selector: 'app=todo-proxy', count: 1, countMode: 'atLeast', ready: true },
  ],
  'statefulset-partition': [
    {
      kind: 'statefulSet',
      name: 'todo-db',
      ready: 2,
      revisionsMatch: false,
      podImages: { '0': 'postgres:11.6-alpine', '1': 'postgres:11.8-alpine' },
    },
  ],
  // The read-only web app is revision 2; undoing it brings revision 1's template back as revision 3.
  'statefulset-full-update': [
    {
      kind: 'statefulSet',
      name: 'todo-db',
      ready: 2,
      revisionsMatch: true,
      podImages: { '0': 'postgres:11.8-alpine', '1': 'postgres:11.8-alpine' },
    },
    { kind: 'rolloutHistory', deployment: 'todo-web', latestRevision: 3 },
    { kind: 'deployment', name: 'todo-web', ready: 1 },
  ],
  // 9.5 — both colours deployed, and the Service flipped back to blue (v1).
  'blue-green-switch': [
    { kind: 'deployment', name: 'vweb-v1', image: V1, ready: 4 },
    { kind: 'deployment', name: 'vweb-v2', image: V2, ready: 4 },
    { kind: 'service', name: 'vweb', selector: { app: 'vweb', version: 'v1' } },
  ],
  'clean-up': [
    { kind: 'absent', resource: 'Deployment', selector: 'kiamol in (ch09, ch09-lab)' },
    // ReplicaSets carry their template's labels, not the Deployment's: they go with their owner.
    { kind: 'absent', resource: 'ReplicaSet', selector: 'app in (vweb, todo-web)' },
    { kind: 'absent', resource: 'StatefulSet', selector: 'kiamol in (ch09, ch09-lab)' },
    { kind: 'absent', resource: 'DaemonSet', selector: 'kiamol in (ch09, ch09-lab)' },
    { kind: 'absent', resource: 'Service', selector: 'kiamol in (ch09, ch09-lab)' },
  ],
};
