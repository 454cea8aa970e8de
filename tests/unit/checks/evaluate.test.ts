import { describe, expect, it } from 'vitest';
import { evaluateCheck, evaluateStep } from '../../../sandbox/checks/evaluate.ts';
import { type CheckInput, checkSchema } from '../../../sandbox/checks/schema.ts';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { makeDeployment, makePod, makeSnapshot } from './fixtures.ts';
import { afterApplyV2, afterCleanUp, afterScale, afterSetImageV2, afterTypoTag } from './scenarios.ts';

const V2 = 'kiamol/ch09-vweb:v2';

function service(selector: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'vweb', namespace: 'lab-1', uid: 'svc-uid', labels: { kiamol: 'ch09' } },
    spec: {
      type: 'LoadBalancer',
      selector,
      ports: [{ port: 8090, targetPort: 'http', protocol: 'TCP', nodePort: 31234 }],
      clusterIP: '10.96.14.7',
    },
    status: { loadBalancer: { ingress: [{ ip: '172.18.0.2' }] } },
  };
}

function endpoints(ready: number, notReady: number): KubeObject {
  const address = (i: number) => ({ ip: `10.244.0.${10 + i}`, nodeName: 'sandbox-node' });
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'vweb', namespace: 'lab-1' },
    subsets: [
      {
        addresses: Array.from({ length: ready }, (_, i) => address(i)),
        ...(notReady > 0
          ? { notReadyAddresses: Array.from({ length: notReady }, (_, i) => address(ready + i)) }
          : {}),
        ports: [{ name: '', port: 80, protocol: 'TCP' }],
      },
    ],
  };
}

function configMap(name: string, data: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'lab-1', uid: `cm-${name}` },
    data,
  };
}

const STS_UID = 'sts-uid-todo-db';
function statefulSet(current: string, update: string, updated: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'todo-db', namespace: 'lab-1', uid: STS_UID, generation: 2 },
    spec: {
      replicas: 2,
      serviceName: 'todo-db',
      selector: { matchLabels: { app: 'todo-db' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
      template: { spec: { containers: [{ name: 'db', image: 'postgres:11.8-alpine' }] } },
    },
    status: {
      replicas: 2,
      readyReplicas: 2,
      currentReplicas: 2 - updated,
      updatedReplicas: updated,
      currentRevision: current,
      updateRevision: update,
      observedGeneration: 2,
    },
  };
}

function controllerRevision(
  owner: { kind: string; name: string; uid: string },
  hash: string,
  revision: number,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${owner.name}-${hash}`,
      namespace: 'lab-1',
      labels: { 'controller-revision-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', ...owner, controller: true }],
    },
    revision,
    data: {},
  };
}

const stsOwner = { kind: 'StatefulSet', name: 'todo-db', uid: STS_UID };
const dbPod = (ordinal: number, image: string) =>
  makePod({
    name: `todo-db-${ordinal}`,
    image,
    state: { kind: 'running' },
    labels: { app: 'todo-db' },
    owner: stsOwner,
  });

const DS_UID = 'ds-uid-todo-proxy';
const dsOwner = { kind: 'DaemonSet', name: 'todo-proxy', uid: DS_UID };
function daemonSet(updated: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'todo-proxy', namespace: 'lab-1', uid: DS_UID },
    spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.18-alpine' }] } } },
    status: {
      currentNumberScheduled: 1,
      desiredNumberScheduled: 1,
      numberReady: 1,
      numberAvailable: 1,
      updatedNumberScheduled: updated,
      numberMisscheduled: 0,
    },
  };
}
const proxyPod = (image: string) =>
  makePod({
    name: 'todo-proxy-7xq2n',
    image,
    state: { kind: 'running' },
    labels: { app: 'todo-proxy' },
    owner: dsOwner,
  });

interface Case {
  name: string;
  check: CheckInput;
  snapshot: ReturnType<typeof makeSnapshot>;
  passed: boolean;
  en: string;
  ko: string;
}

const cases: Case[] = [
  {
    name: 'replicaSets: one ReplicaSet after scaling passes',
    check: {
      kind: 'replicaSets',
      selector: 'app=vweb',
      count: 1,
      replicaSets: [{ desired: 3, ready: 3, revision: 1 }],
    },
    snapshot: afterScale(),
    passed: true,
    en: 'As expected: 1 ReplicaSet for app=vweb; newest: 3 desired, 3 ready, revision 1.',
    ko: '확인됨: app=vweb 레플리카셋 1개; 가장 최신: DESIRED 3, READY 3, 리비전 1.',
  },
  {
    name: 'replicaSets: the old ReplicaSet still has pods',
    check: {
      kind: 'replicaSets',
      selector: 'app=vweb',
      count: 2,
      replicaSets: [{ desired: 3 }, { desired: 0 }],
    },
    snapshot: afterTypoTag(),
    passed: false,
    en: 'ReplicaSet vweb-59f8d4c6b7 (newest) has 1 desired, expected 3 desired. ReplicaSet vweb-6bd7464487 (2nd newest) has 3 desired, expected 0 desired. Pod vweb-59f8d4c6b7-k2m9d of the newest ReplicaSet shows ErrImagePull: the image kiamol/ch09-vweb:v22 could not be pulled. Check the image name and tag.',
    ko: '가장 최신 레플리카셋 vweb-59f8d4c6b7: DESIRED 3 이어야 하는데 지금은 DESIRED 1 입니다. 최신에서 2번째 레플리카셋 vweb-6bd7464487: DESIRED 0 이어야 하는데 지금은 DESIRED 3 입니다. 가장 최신 레플리카셋의 파드 vweb-59f8d4c6b7-k2m9d의 STATUS는 ErrImagePull 입니다. kiamol/ch09-vweb:v22 이미지를 받아 오지 못했습니다. 이미지 이름과 태그를 확인하세요.',
  },
  {
    name: 'replicaSets: every differing field of a ReplicaSet in one sentence, no diagnosis without one',
    check: {
      kind: 'replicaSets',
      selector: 'app=vweb',
      replicaSets: [{ desired: 2, ready: 2, revision: 1 }],
    },
    snapshot: afterScale(),
    passed: false,
    en: 'ReplicaSet vweb-6bd7464487 (newest) has 3 desired and 3 ready, expected 2 desired and 2 ready.',
    ko: '가장 최신 레플리카셋 vweb-6bd7464487: DESIRED 2, READY 2 이어야 하는데 지금은 DESIRED 3, READY 3 입니다.',
  },
  {
    name: 'replicaSets: three differing fields read as a list',
    check: {
      kind: 'replicaSets',
      selector: 'app=vweb',
      replicaSets: [{ desired: 4, ready: 4, revision: 2 }],
    },
    snapshot: afterScale(),
    passed: false,
    en: 'ReplicaSet vweb-6bd7464487 (newest) has 3 desired, 3 ready and revision 1, expected 4 desired, 4 ready and revision 2.',
    ko: '가장 최신 레플리카셋 vweb-6bd7464487: DESIRED 4, READY 4, 리비전 2 이어야 하는데 지금은 DESIRED 3, READY 3, 리비전 1 입니다.',
  },
  {
    name: 'rolloutHistory: a change-cause is judged only on the revision the step means',
    check: {
      kind: 'rolloutHistory',
      deployment: 'vweb',
      latestRevision: 4,
      changeCauseContains: 'vweb-v2.yaml',
    },
    snapshot: afterSetImageV2(),
    passed: false,
    en: 'The latest revision of deployment vweb is 2, expected 4.',
    ko: 'vweb 디플로이먼트의 최신 리비전: 4 이어야 하는데 지금은 2 입니다.',
  },
  {
    name: 'replicaSets: a step hint replaces the generic advice but keeps the pull diagnosis',
    check: {
      kind: 'replicaSets',
      selector: 'app=vweb',
      replicaSets: [{ ready: 3 }],
      hint: { en: 'Wait for the rollout.', ko: '롤아웃을 기다리세요.' },
    },
    snapshot: afterTypoTag(),
    passed: false,
    en: 'ReplicaSet vweb-59f8d4c6b7 (newest) has 0 ready, expected 3 ready. Pod vweb-59f8d4c6b7-k2m9d of the newest ReplicaSet shows ErrImagePull: the image kiamol/ch09-vweb:v22 could not be pulled. Check the image name and tag. Wait for the rollout.',
    ko: '가장 최신 레플리카셋 vweb-59f8d4c6b7: READY 3 이어야 하는데 지금은 READY 0 입니다. 가장 최신 레플리카셋의 파드 vweb-59f8d4c6b7-k2m9d의 STATUS는 ErrImagePull 입니다. kiamol/ch09-vweb:v22 이미지를 받아 오지 못했습니다. 이미지 이름과 태그를 확인하세요. 롤아웃을 기다리세요.',
  },
  {
    name: 'replicaSets: atLeast counts a minimum',
    check: { kind: 'replicaSets', selector: 'app=vweb,version in (v1,v2)', count: 3, countMode: 'atLeast' },
    snapshot: afterSetImageV2(),
    passed: false,
    en: 'Expected at least 3 ReplicaSets for app=vweb,version in (v1,v2), found 2: vweb-7c675fdd96 (3 desired, 3 ready), vweb-6bd7464487 (0 desired, 0 ready). Did the image change? A scale alone is not a rollout.',
    ko: 'app=vweb,version in (v1,v2) 레플리카셋이 3개 이상 있어야 하는데 2개입니다: vweb-7c675fdd96 (DESIRED 3, READY 3), vweb-6bd7464487 (DESIRED 0, READY 0). 이미지를 바꿨나요? 스케일링만으로는 롤아웃이 일어나지 않습니다.',
  },
  {
    name: 'replicaSets: fewer ReplicaSets than listed expectations',
    check: { kind: 'replicaSets', selector: 'app=vweb', replicaSets: [{ desired: 3 }, { desired: 0 }] },
    snapshot: afterScale(),
    passed: false,
    en: 'There is no 2nd newest ReplicaSet for app=vweb (found 1).',
    ko: 'app=vweb 레플리카셋 중 최신에서 2번째 레플리카셋이 없습니다(1개 있음).',
  },
  {
    name: 'pods: none match the selector',
    check: { kind: 'pods', selector: 'app=vweb,version=v2', ready: true },
    snapshot: afterScale(),
    passed: false,
    en: 'Expected pods for app=vweb,version=v2, found none.',
    ko: 'app=vweb,version=v2 파드가 하나도 없습니다.',
  },
  {
    name: 'rolloutHistory: two revisions after set image',
    check: { kind: 'rolloutHistory', deployment: 'vweb', revisions: 2, latestRevision: 2 },
    snapshot: afterSetImageV2(),
    passed: true,
    en: 'As expected: 2 revisions, latest revision 2.',
    ko: '확인됨: 리비전 2개, 최신 리비전 2.',
  },
  {
    name: 'rolloutHistory: scaling made no second revision',
    check: { kind: 'rolloutHistory', deployment: 'vweb', revisions: 2 },
    snapshot: afterScale(),
    passed: false,
    en: 'Rollout history of deployment vweb has 1 revision, expected 2: 1 (<none>).',
    ko: 'vweb 디플로이먼트의 롤아웃 히스토리에 리비전이 2개 있어야 하는데 1개입니다: 1 (<none>).',
  },
  {
    name: 'rolloutHistory: change-cause recorded',
    check: { kind: 'rolloutHistory', deployment: 'vweb', changeCauseContains: 'vweb-v2.yaml' },
    snapshot: afterApplyV2('kubectl apply --filename=vweb/update/vweb-v2.yaml --record=true'),
    passed: true,
    en: 'As expected: change-cause of the latest revision containing "vweb-v2.yaml".',
    ko: '확인됨: 최신 리비전의 CHANGE-CAUSE에 "vweb-v2.yaml" 포함.',
  },
  {
    name: 'rolloutHistory: another change-cause',
    check: { kind: 'rolloutHistory', deployment: 'vweb', changeCauseContains: 'vweb-v2.yaml' },
    snapshot: afterApplyV2('kubectl apply --filename=vweb/update/vweb-v11.yaml --record=true'),
    passed: false,
    en: 'Revision 4 of deployment vweb has change-cause "kubectl apply --filename=vweb/update/vweb-v11.yaml --record=true", expected it to contain "vweb-v2.yaml".',
    ko: 'vweb 디플로이먼트의 리비전 4 CHANGE-CAUSE는 "kubectl apply --filename=vweb/update/vweb-v11.yaml --record=true" 인데, "vweb-v2.yaml" 문자열이 들어 있어야 합니다.',
  },
  {
    name: 'rolloutHistory: no such Deployment',
    check: { kind: 'rolloutHistory', deployment: 'vweb', revisions: 1 },
    snapshot: makeSnapshot({}),
    passed: false,
    en: 'Deployment vweb not found.',
    ko: 'vweb 디플로이먼트가 없습니다.',
  },
  {
    name: 'deployment: image, replicas and strategy',
    check: {
      kind: 'deployment',
      name: 'vweb',
      image: V2,
      container: 'web',
      replicas: 3,
      ready: 3,
      strategy: 'RollingUpdate',
    },
    snapshot: afterSetImageV2(),
    passed: true,
    en: 'As expected: image of container web kiamol/ch09-vweb:v2, replicas 3, ready replicas 3, strategy RollingUpdate.',
    ko: '확인됨: 컨테이너 web 이미지 kiamol/ch09-vweb:v2, 레플리카 수 3, READY 레플리카 3, StrategyType RollingUpdate.',
  },
  {
    name: 'deployment: progress deadline not exceeded yet',
    check: {
      kind: 'deployment',
      name: 'vweb',
      condition: { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
      strategy: 'Recreate',
    },
    snapshot: afterSetImageV2(),
    passed: false,
    en: 'Deployment vweb: expected condition Progressing False/ProgressDeadlineExceeded, found True/NewReplicaSetAvailable. Deployment vweb: expected strategy Recreate, found RollingUpdate.',
    ko: 'vweb 디플로이먼트의 Progressing 컨디션: False/ProgressDeadlineExceeded 이어야 하는데 지금은 True/NewReplicaSetAvailable 입니다. vweb 디플로이먼트의 StrategyType: Recreate 이어야 하는데 지금은 RollingUpdate 입니다.',
  },
  {
    name: 'deployment: progress deadline exceeded',
    check: {
      kind: 'deployment',
      name: 'vweb',
      condition: { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
      available: 2,
    },
    snapshot: makeSnapshot({
      deployments: [
        makeDeployment({
          image: 'kiamol/ch09-vweb:v3',
          replicas: 3,
          updated: 2,
          ready: 2,
          available: 2,
          progressing: { status: 'False', reason: 'ProgressDeadlineExceeded' },
        }),
      ],
    }),
    passed: true,
    en: 'As expected: available replicas 2, condition Progressing False/ProgressDeadlineExceeded.',
    ko: '확인됨: AVAILABLE 레플리카 2, Progressing 컨디션 False/ProgressDeadlineExceeded.',
  },
  {
    name: 'pods: all ready on v2',
    check: { kind: 'pods', selector: 'app=vweb', count: 3, ready: true, image: V2 },
    snapshot: afterSetImageV2(),
    passed: true,
    en: 'As expected: 3 pods for app=vweb; every pod for app=vweb ready and running kiamol/ch09-vweb:v2.',
    ko: '확인됨: app=vweb 파드 3개; app=vweb 파드 모두 [준비됨(Ready), 이미지 kiamol/ch09-vweb:v2].',
  },
  {
    name: 'pods: Recreate with v3 leaves crash-looping pods (any)',
    check: { kind: 'pods', selector: 'app=vweb', quantifier: 'any', reason: 'CrashLoopBackOff' },
    snapshot: makeSnapshot({
      pods: [
        makePod({
          name: 'vweb-5f7c9d8b44-a1b2c',
          image: 'kiamol/ch09-vweb:v3',
          state: { kind: 'terminated', reason: 'Error', exitCode: 127 },
        }),
        makePod({
          name: 'vweb-5f7c9d8b44-d3e4f',
          image: 'kiamol/ch09-vweb:v3',
          state: { kind: 'crashLoop', lastReason: 'Error' },
        }),
      ],
    }),
    passed: true,
    en: 'As expected: at least one pod for app=vweb showing CrashLoopBackOff.',
    ko: '확인됨: app=vweb 파드 하나 이상 [STATUS CrashLoopBackOff].',
  },
  {
    name: 'pods: none crash-looping yet, only Error',
    check: { kind: 'pods', selector: 'app=vweb', quantifier: 'any', reason: 'CrashLoopBackOff' },
    snapshot: makeSnapshot({
      pods: [
        makePod({
          name: 'vweb-5f7c9d8b44-a1b2c',
          image: 'kiamol/ch09-vweb:v3',
          state: { kind: 'terminated', reason: 'Error', exitCode: 127 },
        }),
      ],
    }),
    passed: false,
    en: 'Expected at least one pod for app=vweb to be showing CrashLoopBackOff; none of 1 is: vweb-5f7c9d8b44-a1b2c (Error, 0/1 ready).',
    ko: 'app=vweb 파드 중 하나 이상이 [STATUS CrashLoopBackOff] 조건을 만족해야 하는데 1개 모두 만족하지 않습니다: vweb-5f7c9d8b44-a1b2c (Error, READY 0/1).',
  },
  {
    name: 'pods: a terminating pod is not counted',
    check: { kind: 'pods', selector: 'app=vweb', count: 2, phase: 'Running' },
    snapshot: makeSnapshot({
      pods: [
        makePod({ name: 'vweb-7c675fdd96-4hj2d', image: V2, state: { kind: 'running' } }),
        makePod({ name: 'vweb-6bd7464487-2xk8p', image: V2, state: { kind: 'running' }, terminating: true }),
      ],
    }),
    passed: false,
    en: 'Expected 2 pods for app=vweb, found 1: vweb-7c675fdd96-4hj2d (Running, 1/1 ready).',
    ko: 'app=vweb 파드가 2개 있어야 하는데 1개입니다: vweb-7c675fdd96-4hj2d (Running, READY 1/1).',
  },
  {
    name: 'service: selector switched to green with endpoints',
    check: { kind: 'service', name: 'vweb', selector: { app: 'vweb', version: 'v2' }, readyEndpoints: 3 },
    snapshot: makeSnapshot({
      services: [service({ version: 'v2', app: 'vweb' })],
      endpoints: [endpoints(3, 0)],
    }),
    passed: true,
    en: 'As expected: selector app=vweb,version=v2, ready endpoints 3.',
    ko: '확인됨: 셀렉터 app=vweb,version=v2, 준비된 엔드포인트 수 3.',
  },
  {
    name: 'service: still blue, endpoints not ready',
    check: { kind: 'service', name: 'vweb', selector: { app: 'vweb', version: 'v2' }, readyEndpoints: 3 },
    snapshot: makeSnapshot({
      services: [service({ app: 'vweb', version: 'v1' })],
      endpoints: [endpoints(1, 2)],
    }),
    passed: false,
    en: 'Service vweb: expected selector app=vweb,version=v2, found app=vweb,version=v1. Service vweb: expected ready endpoints 3, found 1.',
    ko: 'vweb 서비스의 셀렉터: app=vweb,version=v2 이어야 하는데 지금은 app=vweb,version=v1 입니다. vweb 서비스의 준비된 엔드포인트 수: 3 이어야 하는데 지금은 1 입니다.',
  },
  {
    name: 'configMap: v3.1 applied',
    check: { kind: 'configMap', name: 'vweb-config', data: { 'v.txt': 'v3.1' } },
    snapshot: makeSnapshot({ configMaps: [configMap('vweb-config', { 'v.txt': 'v3.1' })] }),
    passed: true,
    en: 'As expected: key v.txt "v3.1".',
    ko: '확인됨: v.txt 키 "v3.1".',
  },
  {
    name: 'configMap: still the first value, a key missing',
    check: { kind: 'configMap', name: 'vweb-config', data: { 'v.txt': 'v3.1', 'index.html': '<h1>v3</h1>' } },
    snapshot: makeSnapshot({ configMaps: [configMap('vweb-config', { 'v.txt': 'v3-from-config' })] }),
    passed: false,
    en: 'ConfigMap vweb-config: expected key v.txt "v3.1", found "v3-from-config". ConfigMap vweb-config: expected key index.html "<h1>v3</h1>", found missing.',
    ko: 'vweb-config 컨피그맵의 v.txt 키: "v3.1" 이어야 하는데 지금은 "v3-from-config" 입니다. vweb-config 컨피그맵의 index.html 키: "<h1>v3</h1>" 이어야 하는데 지금은 없음 입니다.',
  },
  {
    name: 'statefulSet: partitioned update reached only ordinal 1',
    check: {
      kind: 'statefulSet',
      name: 'todo-db',
      updated: 1,
      revisionsMatch: false,
      latestRevision: 2,
      podImages: { '0': 'postgres:11.6-alpine', '1': 'postgres:11.8-alpine' },
    },
    snapshot: makeSnapshot({
      statefulSets: [statefulSet('todo-db-7d9f8c6b5', 'todo-db-5b6c7d8e9', 1)],
      controllerRevisions: [
        controllerRevision(stsOwner, '7d9f8c6b5', 1),
        controllerRevision(stsOwner, '5b6c7d8e9', 2),
      ],
      pods: [dbPod(0, 'postgres:11.6-alpine'), dbPod(1, 'postgres:11.8-alpine')],
    }),
    passed: true,
    en: 'As expected: updated replicas 1, current/update revision different, latest revision 2, image of pod todo-db-0 postgres:11.6-alpine, image of pod todo-db-1 postgres:11.8-alpine.',
    ko: '확인됨: 업데이트된 레플리카 1, 현재/업데이트 리비전 다름, 최신 리비전 2, todo-db-0 파드 이미지 postgres:11.6-alpine, todo-db-1 파드 이미지 postgres:11.8-alpine.',
  },
  {
    name: 'statefulSet: full update expected but still partitioned',
    check: {
      kind: 'statefulSet',
      name: 'todo-db',
      revisionsMatch: true,
      podImages: { '0': 'postgres:11.8-alpine' },
    },
    snapshot: makeSnapshot({
      statefulSets: [statefulSet('todo-db-7d9f8c6b5', 'todo-db-5b6c7d8e9', 1)],
      pods: [dbPod(0, 'postgres:11.6-alpine'), dbPod(1, 'postgres:11.8-alpine')],
    }),
    passed: false,
    en: 'StatefulSet todo-db: expected current/update revision equal, found todo-db-7d9f8c6b5 / todo-db-5b6c7d8e9. StatefulSet todo-db: expected image of pod todo-db-0 postgres:11.8-alpine, found postgres:11.6-alpine.',
    ko: 'todo-db 스테이트풀셋의 현재/업데이트 리비전: 같음 이어야 하는데 지금은 todo-db-7d9f8c6b5 / todo-db-5b6c7d8e9 입니다. todo-db 스테이트풀셋의 todo-db-0 파드 이미지: postgres:11.8-alpine 이어야 하는데 지금은 postgres:11.6-alpine 입니다.',
  },
  {
    name: 'daemonSet: proxy on nginx 1.18',
    check: {
      kind: 'daemonSet',
      name: 'todo-proxy',
      updated: 1,
      latestRevision: 2,
      image: 'nginx:1.18-alpine',
    },
    snapshot: makeSnapshot({
      daemonSets: [daemonSet(1)],
      controllerRevisions: [
        controllerRevision(dsOwner, '6d8b9c7f5', 1),
        controllerRevision(dsOwner, '58c9d7b6f4', 2),
      ],
      pods: [proxyPod('nginx:1.18-alpine')],
    }),
    passed: true,
    en: 'As expected: updated pods 1, latest revision 2, image of every pod nginx:1.18-alpine.',
    ko: '확인됨: 업데이트된 파드 1, 최신 리비전 2, 모든 파드의 이미지 nginx:1.18-alpine.',
  },
  {
    name: 'daemonSet: update not applied',
    check: { kind: 'daemonSet', name: 'todo-proxy', latestRevision: 2, image: 'nginx:1.18-alpine' },
    snapshot: makeSnapshot({
      daemonSets: [daemonSet(1)],
      controllerRevisions: [controllerRevision(dsOwner, '6d8b9c7f5', 1)],
      pods: [proxyPod('nginx:1.17-alpine')],
    }),
    passed: false,
    en: 'DaemonSet todo-proxy: expected latest revision 2, found 1. DaemonSet todo-proxy: expected image of every pod nginx:1.18-alpine, found nginx:1.17-alpine.',
    ko: 'todo-proxy 데몬셋의 최신 리비전: 2 이어야 하는데 지금은 1 입니다. todo-proxy 데몬셋의 모든 파드의 이미지: nginx:1.18-alpine 이어야 하는데 지금은 nginx:1.17-alpine 입니다.',
  },
  {
    name: 'absent: cleaned up',
    check: { kind: 'absent', resource: 'Pod', selector: 'app=vweb' },
    snapshot: makeSnapshot({
      pods: [
        makePod({ name: 'vweb-7c675fdd96-4hj2d', image: V2, state: { kind: 'running' }, terminating: true }),
      ],
    }),
    passed: true,
    en: 'As expected: no pods for app=vweb.',
    ko: '확인됨: app=vweb 파드 없음.',
  },
  {
    name: 'absent: Deployment left behind',
    check: { kind: 'absent', resource: 'Deployment', name: 'vweb' },
    snapshot: afterScale(),
    passed: false,
    en: 'Expected no Deployments named vweb, found 1: vweb.',
    ko: 'vweb 디플로이먼트: 모두 삭제되어야 하는데 1개가 남아 있습니다: vweb.',
  },
  {
    name: 'configMap: missing, with the subject particle after a final consonant',
    check: { kind: 'configMap', name: 'vweb-config', data: { 'v.txt': 'v3.1' } },
    snapshot: makeSnapshot({}),
    passed: false,
    en: 'ConfigMap vweb-config not found.',
    ko: 'vweb-config 컨피그맵이 없습니다.',
  },
  {
    name: 'events: the record of Deployments that ran here',
    check: { kind: 'events', involvedKind: 'Deployment', reason: 'ScalingReplicaSet' },
    snapshot: afterCleanUp(),
    passed: true,
    en: 'As expected: ScalingReplicaSet events of at least 1 Deployment.',
    ko: '확인됨: 디플로이먼트 1개 이상의 ScalingReplicaSet 이벤트.',
  },
  {
    name: 'events: none in a namespace that never ran a Deployment',
    check: { kind: 'events', involvedKind: 'Deployment', reason: 'ScalingReplicaSet' },
    snapshot: makeSnapshot({}),
    passed: false,
    en: 'No ScalingReplicaSet events of any Deployment in this namespace: nothing shows that a Deployment ran here.',
    ko: '이 네임스페이스에는 디플로이먼트의 ScalingReplicaSet 이벤트가 하나도 없습니다. 디플로이먼트가 여기서 실행된 기록이 없습니다.',
  },
  {
    name: 'events: counts distinct objects, and only of the kind and reason asked',
    check: { kind: 'events', involvedKind: 'Deployment', reason: 'ScalingReplicaSet', objects: 3 },
    snapshot: afterCleanUp(),
    passed: false,
    en: 'Expected ScalingReplicaSet events of at least 3 Deployments, found them for 2: vweb-v1, vweb-v2.',
    ko: '디플로이먼트 3개 이상에 ScalingReplicaSet 이벤트가 있어야 하는데 2개뿐입니다: vweb-v1, vweb-v2.',
  },
  {
    name: "a step's own hint replaces the built-in advice",
    check: {
      kind: 'replicaSets',
      selector: 'app=vweb',
      count: 3,
      hint: { en: 'A label change is a rollout too.', ko: '레이블만 바꿔도 롤아웃입니다.' },
    },
    snapshot: afterSetImageV2(),
    passed: false,
    en: 'Expected 3 ReplicaSets for app=vweb, found 2: vweb-7c675fdd96 (3 desired, 3 ready), vweb-6bd7464487 (0 desired, 0 ready). A label change is a rollout too.',
    ko: 'app=vweb 레플리카셋이 3개 있어야 하는데 2개입니다: vweb-7c675fdd96 (DESIRED 3, READY 3), vweb-6bd7464487 (DESIRED 0, READY 0). 레이블만 바꿔도 롤아웃입니다.',
  },
];

describe('evaluateCheck', () => {
  it.each(cases)('$name', ({ check, snapshot, passed, en, ko }) => {
    const english = evaluateCheck(check, snapshot, 'en');
    const korean = evaluateCheck(check, snapshot, 'ko');
    expect(english.passed).toBe(passed);
    expect(korean.passed).toBe(passed);
    expect(english.message).toBe(en);
    expect(korean.message).toBe(ko);
  });

  it('reports expected and actual separately', () => {
    const result = evaluateCheck(
      { kind: 'rolloutHistory', deployment: 'vweb', revisions: 2 },
      afterScale(),
      'en',
    );
    expect(result).toMatchObject({ expected: '2 revisions', actual: 'revisions 1 (<none>)' });
  });

  it('rejects a malformed check', () => {
    expect(() =>
      evaluateCheck({ kind: 'absent', resource: 'Pod' } as CheckInput, makeSnapshot({}), 'en'),
    ).toThrow(/exactly one of selector or name/);
  });
});

/** Step 2 of lesson 9.1: `kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2`. */
const setImageStep: CheckInput[] = [
  {
    kind: 'replicaSets',
    selector: 'app=vweb',
    count: 2,
    replicaSets: [{ desired: 3, ready: 3, revision: 2 }, { desired: 0 }],
  },
  { kind: 'rolloutHistory', deployment: 'vweb', revisions: 2 },
  { kind: 'pods', selector: 'app=vweb', ready: true, image: V2 },
];

/** Step 4: `kubectl apply -f vweb/update/vweb-v2.yaml --record`. */
const recordStep: CheckInput[] = [
  { kind: 'rolloutHistory', deployment: 'vweb', latestRevision: 4, changeCauseContains: 'vweb-v2.yaml' },
];

describe('evaluateStep', () => {
  it('is pending while the namespace holds nothing the step looks at', () => {
    const step = evaluateStep(setImageStep, makeSnapshot({}), 'en');
    expect(step.status).toBe('pending');
    expect(step.results.map((r) => r.passed)).toEqual([false, false, false]);
  });

  it('passes when the rollout to v2 finished, however it was reached', () => {
    expect(evaluateStep(setImageStep, afterSetImageV2(), 'ko').status).toBe('passed');
  });

  it('counts a passing absent check as having found nothing: alone it would pass an empty namespace', () => {
    // Why the chapter's clean-up step pairs its absent checks with an events check.
    const absentOnly: CheckInput[] = [{ kind: 'absent', resource: 'Deployment', selector: 'kiamol=ch09' }];
    expect(evaluateStep(absentOnly, makeSnapshot({}), 'en').status).toBe('passed');
    const withEvidence: CheckInput[] = [
      ...absentOnly,
      { kind: 'events', involvedKind: 'Deployment', reason: 'ScalingReplicaSet' },
    ];
    expect(evaluateStep(withEvidence, makeSnapshot({}), 'en').status).toBe('pending');
    expect(evaluateStep(withEvidence, afterCleanUp(), 'en').status).toBe('passed');
    expect(evaluateStep(withEvidence, afterScale(), 'en').status).toBe('failed');
  });
});

describe('a step of several checks on a stuck rollout', () => {
  it('says in every failing check that the new pod cannot pull its image', () => {
    const step = evaluateStep(setImageStep, afterTypoTag(), 'en');
    expect(step.status).toBe('failed');
    expect(step.results.map((r) => r.message)).toEqual([
      'ReplicaSet vweb-59f8d4c6b7 (newest) has 1 desired and 0 ready, expected 3 desired and 3 ready. ReplicaSet vweb-6bd7464487 (2nd newest) has 3 desired, expected 0 desired. Pod vweb-59f8d4c6b7-k2m9d of the newest ReplicaSet shows ErrImagePull: the image kiamol/ch09-vweb:v22 could not be pulled. Check the image name and tag.',
      'As expected: 2 revisions.',
      'Expected every pod for app=vweb to be ready and running kiamol/ch09-vweb:v2; 4 of 4 are not: vweb-59f8d4c6b7-k2m9d (ErrImagePull, 0/1 ready, kiamol/ch09-vweb:v22), vweb-6bd7464487-2xk8p (Running, 1/1 ready, kiamol/ch09-vweb:v1), vweb-6bd7464487-7tq4m (Running, 1/1 ready, kiamol/ch09-vweb:v1), vweb-6bd7464487-zr9lw (Running, 1/1 ready, kiamol/ch09-vweb:v1). The image could not be pulled: check the image name and tag.',
    ]);
    expect(evaluateStep(setImageStep, afterTypoTag(), 'ko').results[2]?.message).toBe(
      'app=vweb 파드는 모두 [준비됨(Ready), 이미지 kiamol/ch09-vweb:v2] 조건을 만족해야 하는데 4개 중 4개가 만족하지 않습니다: vweb-59f8d4c6b7-k2m9d (ErrImagePull, READY 0/1, kiamol/ch09-vweb:v22), vweb-6bd7464487-2xk8p (Running, READY 1/1, kiamol/ch09-vweb:v1), vweb-6bd7464487-7tq4m (Running, READY 1/1, kiamol/ch09-vweb:v1), vweb-6bd7464487-zr9lw (Running, READY 1/1, kiamol/ch09-vweb:v1). 이미지를 받아 오지 못했습니다. 이미지 이름과 태그를 확인하세요.',
    );
  });

  it('keeps the --record advice for a missing change-cause', () => {
    const en = evaluateStep(recordStep, afterApplyV2(undefined), 'en');
    expect(en.status).toBe('failed');
    expect(en.results[0]?.message).toMatch(/Did you add --record\?/);
    expect(
      evaluateStep(
        recordStep,
        afterApplyV2('kubectl apply --filename=vweb/update/vweb-v2.yaml --record=true'),
        'en',
      ).status,
    ).toBe('passed');
  });
});

describe('checkSchema', () => {
  it.each([
    [{ kind: 'pods', selector: 'app=vweb=v2' }, /not a valid kubectl label selector/],
    [{ kind: 'replicaSets', selector: 'app=vweb', count: -1 }, /too_small|>=0/],
    [{ kind: 'deployment', name: 'vweb', imag: 'x' }, /imag/],
  ])('rejects %j', (check, error) => {
    expect(() => checkSchema.parse(check)).toThrow(error);
  });
});
