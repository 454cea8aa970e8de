/**
 * Chapter 9's step checks: for each lesson step id, the end state its commands leave in the
 * namespace (see /work/shared/CHAPTER9.md). Each entry is chosen so that the state the previous
 * step leaves does not already pass it, nor does an empty namespace: a step is never marked done
 * before its commands have run. `npm run test:lessons` runs every lesson's commands in a fresh
 * sandbox and holds the checks to that, and the revision numbers below to what the cluster does.
 *
 * The page shows the first failed check's message, so each step lists first the check whose
 * message says most about the usual mistake. A `hint` is advice for this step in particular; it
 * replaces the evaluator's generic advice, which cannot know the step.
 */
import type { CheckInput } from '../../sandbox/checks/schema.ts';

const V1 = 'kiamol/ch09-vweb:v1';
const V2 = 'kiamol/ch09-vweb:v2';
const V3 = 'kiamol/ch09-vweb:v3';

function hint(en: string, ko: string): { en: string; ko: string } {
  return { en, ko };
}

/** Checks per step id, in lesson order. */
export const ch09Checks: Readonly<Record<string, readonly CheckInput[]>> = {
  // 9.1 — scaling changes the ReplicaSet's numbers, not the revision.
  'scale-is-not-a-rollout': [
    {
      kind: 'replicaSets',
      selector: 'app=vweb',
      count: 1,
      replicaSets: [{ desired: 3, ready: 3, revision: 1 }],
      hint: hint(
        'This step only scales: vweb/update/vweb-v1-scale.yaml sets 3 replicas and leaves the Pod spec alone, so the one ReplicaSet grows to 3.',
        '이 단계는 스케일링만 합니다. vweb/update/vweb-v1-scale.yaml은 레플리카 수만 3으로 바꾸고 파드 스펙은 그대로 두므로, 레플리카셋 하나가 3개로 늘어납니다.',
      ),
    },
    {
      kind: 'rolloutHistory',
      deployment: 'vweb',
      revisions: 1,
      hint: hint(
        'Scaling leaves the history at revision 1; another revision means the Pod spec changed.',
        '스케일링은 히스토리를 리비전 1에 그대로 둡니다. 리비전이 더 있다면 파드 스펙이 바뀐 것입니다.',
      ),
    },
  ],
  // No hint on the ReplicaSets: with one ReplicaSet its own advice ("a scale alone is not a
  // rollout") is the point of the step, and a pod that cannot pull its image is diagnosed.
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
    {
      kind: 'deployment',
      name: 'vweb',
      image: V2,
      hint: hint(
        'Change the image with kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2 (web is the container name).',
        'kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2 로 이미지를 바꾸세요(web은 컨테이너 이름입니다).',
      ),
    },
  ],
  'label-change-rollout': [
    {
      kind: 'replicaSets',
      selector: 'app=vweb',
      count: 3,
      replicaSets: [{ desired: 3, ready: 3, revision: 3 }],
      hint: hint(
        'Apply vweb/update/vweb-v11.yaml: it changes the Pod template’s version label to v1.1 (and the image back to v1). A label change is a rollout too, so a third ReplicaSet appears, with revision 3.',
        'vweb/update/vweb-v11.yaml을 적용하세요. 파드 템플릿의 version 레이블을 v1.1로(이미지는 v1로) 바꿉니다. 레이블만 바뀌어도 롤아웃이라서 세 번째 레플리카셋이 리비전 3으로 생깁니다.',
      ),
    },
    { kind: 'rolloutHistory', deployment: 'vweb', revisions: 3 },
    {
      kind: 'pods',
      selector: 'app=vweb,version=v1.1',
      count: 3,
      ready: true,
      image: V1,
      hint: hint(
        'Wait for the rollout to finish: kubectl rollout status deploy/vweb returns when all 3 version=v1.1 pods are ready.',
        '롤아웃이 끝나기를 기다리세요. kubectl rollout status deploy/vweb 은 version=v1.1 파드 3개가 모두 준비되면 끝납니다.',
      ),
    },
  ],
  // 9.2 — the v2 manifest's template differs from revision 2 (label version=v2), so it is revision
  // 4. The Deployment comes first: until v2 is applied, that is what to say; once it is, the
  // history's own advice about --record is the one this step needs (so no hint there).
  'record-change-cause': [
    {
      kind: 'deployment',
      name: 'vweb',
      image: V2,
      ready: 3,
      hint: hint(
        'Apply vweb/update/vweb-v2.yaml with --record: image v2 and the label version=v2 make revision 4, and --record saves the command as its change-cause.',
        'vweb/update/vweb-v2.yaml을 --record 를 붙여 적용하세요. 이미지 v2와 레이블 version=v2로 리비전 4가 되고, --record 가 명령을 CHANGE-CAUSE로 남깁니다.',
      ),
    },
    {
      kind: 'rolloutHistory',
      deployment: 'vweb',
      latestRevision: 4,
      changeCauseContains: 'vweb-v2.yaml',
    },
  ],
  // Undoing to revision 2 brings back its template (label version=v1, image v2) as revision 5;
  // a plain undo would bring back revision 3 (v1.1) instead, which the pods check tells apart.
  'undo-to-revision': [
    {
      kind: 'rolloutHistory',
      deployment: 'vweb',
      latestRevision: 5,
      revisions: 4,
      hint: hint(
        'Roll back with kubectl rollout undo deploy/vweb --to-revision=2: the rollback is revision 5, and revision 2 leaves the list.',
        'kubectl rollout undo deploy/vweb --to-revision=2 로 롤백하세요. 롤백이 리비전 5가 되고 리비전 2는 목록에서 사라집니다.',
      ),
    },
    {
      kind: 'pods',
      selector: 'app=vweb,version=v1',
      count: 3,
      ready: true,
      image: V2,
      hint: hint(
        'Revision 2 is the Pod template with the label version=v1 and the image v2. An undo without --to-revision goes back to revision 3 (version=v1.1) instead.',
        '리비전 2는 레이블 version=v1, 이미지 v2인 파드 템플릿입니다. --to-revision 없이 undo 하면 리비전 3(version=v1.1)으로 돌아갑니다.',
      ),
    },
  ],
  // v3 with its ConfigMap is revision 6, the edited ConfigMap no revision, v4 revision 7, v4.1
  // revision 8; the last undo returns from v4.1 to v4, so revision 7 comes back as 9.
  'configmap-versions': [
    {
      kind: 'configMap',
      name: 'vweb-config',
      data: { 'v.txt': 'v3.1' },
      hint: hint(
        'Apply vweb/update/vweb-v3-with-configMap.yaml, then vweb/update/vweb-configMap-v31.yaml: the second changes only the ConfigMap’s contents (v3.1), with no rollout.',
        'vweb/update/vweb-v3-with-configMap.yaml을 적용한 다음 vweb/update/vweb-configMap-v31.yaml을 적용하세요. 두 번째는 컨피그맵 내용(v3.1)만 바꾸고 롤아웃은 일으키지 않습니다.',
      ),
    },
    {
      kind: 'configMap',
      name: 'vweb-config-v4',
      data: { 'v.txt': 'v4-from-config' },
      hint: hint(
        'Apply vweb/update/vweb-v4-with-configMap.yaml: a ConfigMap under a new name, and a Deployment that mounts it.',
        'vweb/update/vweb-v4-with-configMap.yaml을 적용하세요. 새 이름의 컨피그맵과, 그것을 마운트하는 디플로이먼트입니다.',
      ),
    },
    {
      kind: 'configMap',
      name: 'vweb-config-v41',
      data: { 'v.txt': 'v4.1-from-config' },
      hint: hint(
        'Apply vweb/update/vweb-v41-with-configMap.yaml after the v4 one.',
        'v4 다음에 vweb/update/vweb-v41-with-configMap.yaml을 적용하세요.',
      ),
    },
    {
      kind: 'pods',
      selector: 'app=vweb,version=v4',
      count: 3,
      ready: true,
      hint: hint(
        'After v4.1, roll back once with kubectl rollout undo deploy/vweb: the pods return to version v4, whose ConfigMap vweb-config-v4 is still there.',
        'v4.1 다음에 kubectl rollout undo deploy/vweb 으로 한 번 롤백하세요. 파드가 version v4로 돌아가고, 그 컨피그맵 vweb-config-v4는 아직 남아 있습니다.',
      ),
    },
    {
      kind: 'rolloutHistory',
      deployment: 'vweb',
      latestRevision: 9,
      hint: hint(
        'The rollback from v4.1 to v4 is revision 9: revision 7 (v4) comes back under a new number.',
        'v4.1에서 v4로 돌아간 롤백이 리비전 9입니다. 리비전 7(v4)이 새 번호로 돌아옵니다.',
      ),
    },
  ],
  // 9.3 — Recreate with the v3 image: every pod is the crashing v3, none ready.
  'recreate-strategy': [
    {
      kind: 'deployment',
      name: 'vweb',
      strategy: 'Recreate',
      image: V3,
      replicas: 3,
      hint: hint(
        'Apply vweb-strategies/vweb-recreate-v2.yaml, then vweb-strategies/vweb-recreate-v3.yaml: Recreate removes every v2 pod before it starts the broken v3 ones.',
        'vweb-strategies/vweb-recreate-v2.yaml을 적용한 다음 vweb-strategies/vweb-recreate-v3.yaml을 적용하세요. Recreate는 v2 파드를 모두 지운 뒤에 고장 난 v3 파드를 만듭니다.',
      ),
    },
    {
      kind: 'pods',
      selector: 'app=vweb',
      count: 3,
      ready: false,
      image: V3,
      hint: hint(
        'With Recreate, all 3 pods become v3 pods, and none is ever ready: the v3 container exits as soon as it starts.',
        'Recreate에서는 파드 3개가 모두 v3 파드가 되고, 하나도 준비되지 않습니다. v3 컨테이너는 시작하자마자 끝나기 때문입니다.',
      ),
    },
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
      hint: hint(
        'Apply vweb-strategies/vweb-rollingUpdate-v2.yaml and wait for kubectl rollout status deploy/vweb: the rolling update replaces the broken v3 pods one at a time.',
        'vweb-strategies/vweb-rollingUpdate-v2.yaml을 적용하고 kubectl rollout status deploy/vweb 이 끝나기를 기다리세요. 롤링 업데이트가 고장 난 v3 파드를 하나씩 바꿉니다.',
      ),
    },
    {
      kind: 'rolloutHistory',
      deployment: 'vweb',
      latestRevision: 3,
      hint: hint(
        'Revision 3 is revision 1’s template (v2) coming back after exercise 7’s two applies. If the history went elsewhere, start again from exercise 7.',
        '리비전 3은 실습 7의 두 번의 적용 뒤에 리비전 1의 템플릿(v2)이 돌아온 것입니다. 히스토리가 다르게 흘렀다면 실습 7부터 다시 하세요.',
      ),
    },
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
      hint: hint(
        'Start from a new Deployment: kubectl delete deploy vweb, apply vweb-rolling-update/, and once it is rolled out apply vweb-rolling-update/v2/.',
        '새 디플로이먼트에서 시작하세요. kubectl delete deploy vweb 다음에 vweb-rolling-update/를 적용하고, 롤아웃이 끝나면 vweb-rolling-update/v2/를 적용합니다.',
      ),
    },
    {
      kind: 'deployment',
      name: 'vweb',
      image: V2,
      replicas: 4,
      updated: 4,
      available: 4,
      hint: hint(
        'A new pod counts as available only 60 seconds after it is ready: wait for kubectl rollout status deploy/vweb to finish.',
        '새 파드는 준비된 뒤 60초가 지나야 사용 가능(available)으로 칩니다. kubectl rollout status deploy/vweb 이 끝날 때까지 기다리세요.',
      ),
    },
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
      hint: hint(
        'Apply vweb-strategies/vweb-rollingUpdate-v3.yaml, let the rollout pass its 120-second progress deadline, then roll back with kubectl rollout undo deploy/vweb: v2 comes back as revision 4.',
        'vweb-strategies/vweb-rollingUpdate-v3.yaml을 적용하고 롤아웃이 120초 진행 기한을 넘기게 둔 다음, kubectl rollout undo deploy/vweb 으로 롤백하세요. v2가 리비전 4로 돌아옵니다.',
      ),
    },
    {
      kind: 'deployment',
      name: 'vweb',
      image: V2,
      replicas: 3,
      available: 3,
      hint: hint(
        'After the undo, wait for kubectl rollout status deploy/vweb: with minReadySeconds: 30, each v2 pod counts as available 30 seconds after it is ready.',
        'undo 다음에 kubectl rollout status deploy/vweb 이 끝나기를 기다리세요. minReadySeconds: 30 이라서 v2 파드는 준비된 뒤 30초가 지나야 사용 가능으로 칩니다.',
      ),
    },
  ],
  // 9.4
  'deploy-todo-app': [
    {
      kind: 'statefulSet',
      name: 'todo-db',
      ready: 2,
      podImages: { '0': 'postgres:11.6-alpine', '1': 'postgres:11.6-alpine' },
      hint: hint(
        'Apply the three folders: kubectl apply -f todo-list/db/ -f todo-list/web/ -f todo-list/proxy/. The StatefulSet starts todo-db-1 only once todo-db-0 is ready.',
        '세 폴더를 적용하세요: kubectl apply -f todo-list/db/ -f todo-list/web/ -f todo-list/proxy/. 스테이트풀셋은 todo-db-0이 준비된 뒤에야 todo-db-1을 시작합니다.',
      ),
    },
    { kind: 'deployment', name: 'todo-web', ready: 1 },
    { kind: 'daemonSet', name: 'todo-proxy', image: 'nginx:1.17-alpine' },
    { kind: 'pods', selector: 'app=todo-proxy', count: 1, countMode: 'atLeast', ready: true },
  ],
  'daemonset-update': [
    {
      kind: 'daemonSet',
      name: 'todo-proxy',
      image: 'nginx:1.18-alpine',
      latestRevision: 2,
      hint: hint(
        'Apply todo-list/proxy/update/nginx-rollingUpdate.yaml: the DaemonSet deletes the node’s old pod first, then creates the 1.18 one.',
        'todo-list/proxy/update/nginx-rollingUpdate.yaml을 적용하세요. 데몬셋은 노드의 이전 파드를 먼저 지우고 나서 1.18 파드를 만듭니다.',
      ),
    },
    { kind: 'pods', selector: 'app=todo-proxy', count: 1, countMode: 'atLeast', ready: true },
  ],
  'statefulset-partition': [
    {
      kind: 'statefulSet',
      name: 'todo-db',
      ready: 2,
      revisionsMatch: false,
      podImages: { '0': 'postgres:11.6-alpine', '1': 'postgres:11.8-alpine' },
      hint: hint(
        'Apply todo-list/db/update/todo-db-rollingUpdate-partition.yaml: with partition: 1 only todo-db-1 moves to 11.8, and todo-db-0 stays on 11.6.',
        'todo-list/db/update/todo-db-rollingUpdate-partition.yaml을 적용하세요. partition: 1 이라서 todo-db-1만 11.8로 바뀌고 todo-db-0은 11.6에 남습니다.',
      ),
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
      hint: hint(
        'Apply todo-list/db/update/todo-db-rollingUpdate.yaml, which has no partition: todo-db-0 moves to 11.8 too.',
        'partition이 없는 todo-list/db/update/todo-db-rollingUpdate.yaml을 적용하세요. todo-db-0도 11.8로 바뀝니다.',
      ),
    },
    {
      kind: 'rolloutHistory',
      deployment: 'todo-web',
      latestRevision: 3,
      hint: hint(
        'Apply todo-list/web/update/todo-web-readonly.yaml first (revision 2); once the database is updated, take the web app out of read-only mode with kubectl rollout undo deploy/todo-web (revision 3).',
        '먼저 todo-list/web/update/todo-web-readonly.yaml을 적용하고(리비전 2), 데이터베이스 업데이트가 끝나면 kubectl rollout undo deploy/todo-web 으로 읽기 전용 모드를 푸세요(리비전 3).',
      ),
    },
    { kind: 'deployment', name: 'todo-web', ready: 1 },
  ],
  // 9.5 — both colours deployed, and the Service flipped back to blue (v1).
  'blue-green-switch': [
    {
      kind: 'deployment',
      name: 'vweb-v1',
      image: V1,
      ready: 4,
      hint: hint('Deploy blue with kubectl apply -f lab/v1/.', 'kubectl apply -f lab/v1/ 로 블루를 배치하세요.'),
    },
    {
      kind: 'deployment',
      name: 'vweb-v2',
      image: V2,
      ready: 4,
      hint: hint(
        'Deploy green with kubectl apply -f lab/solution/vweb-deployment-v2.yaml and wait until it is ready.',
        'kubectl apply -f lab/solution/vweb-deployment-v2.yaml 로 그린을 배치하고 준비될 때까지 기다리세요.',
      ),
    },
    {
      kind: 'service',
      name: 'vweb',
      selector: { app: 'vweb', version: 'v1' },
      hint: hint(
        'Switch the Service back to blue: kubectl apply -f lab/v1/vweb-service-v1.yaml.',
        '서비스를 블루로 되돌리세요: kubectl apply -f lab/v1/vweb-service-v1.yaml',
      ),
    },
  ],
  // Objects being gone proves nothing in a namespace that never held them: the Deployment
  // controller's ScalingReplicaSet events (kept after the Deployments are deleted) show that this
  // namespace ran the chapter's Deployments, so the step passes only once they existed and are gone.
  'clean-up': [
    {
      kind: 'absent',
      resource: 'Deployment',
      selector: 'kiamol in (ch09, ch09-lab)',
      hint: hint(
        'Delete by label: kubectl delete all -l kiamol=ch09, then kubectl delete all -l kiamol=ch09-lab.',
        '레이블로 지우세요: kubectl delete all -l kiamol=ch09 다음에 kubectl delete all -l kiamol=ch09-lab',
      ),
    },
    // ReplicaSets and pods carry their template's labels, not the Deployment's: they go with their owner.
    { kind: 'absent', resource: 'ReplicaSet', selector: 'app in (vweb, todo-web)' },
    { kind: 'absent', resource: 'StatefulSet', selector: 'kiamol in (ch09, ch09-lab)' },
    { kind: 'absent', resource: 'DaemonSet', selector: 'kiamol in (ch09, ch09-lab)' },
    { kind: 'absent', resource: 'Service', selector: 'kiamol in (ch09, ch09-lab)' },
    { kind: 'absent', resource: 'Pod', selector: 'app in (vweb, todo-web, todo-db, todo-proxy)' },
    {
      kind: 'absent',
      resource: 'ConfigMap',
      selector: 'kiamol=ch09',
      hint: hint(
        'ConfigMaps are not part of all: kubectl delete cm,secret,pvc -l kiamol=ch09.',
        '컨피그맵은 all에 들어 있지 않습니다: kubectl delete cm,secret,pvc -l kiamol=ch09',
      ),
    },
    {
      kind: 'events',
      involvedKind: 'Deployment',
      reason: 'ScalingReplicaSet',
      hint: hint(
        'Clean-up removes what the earlier exercises deployed, and nothing was deployed here yet: do exercise 15 (or any earlier one) first, then delete by label.',
        '정리 단계는 앞 실습에서 배치한 것을 지웁니다. 여기에는 아직 배치된 것이 없으니 실습 15(또는 앞의 다른 실습)를 먼저 하고 나서 레이블로 지우세요.',
      ),
    },
  ],
};
