/** What the live view's log says between two views, in both languages. */
import { describe, expect, it } from 'vitest';
import { translate } from '../../../src/i18n/ui.ts';
import type {
  DeploymentView,
  PodView,
  ReplicaSetView,
  WorkloadsView,
} from '../../../src/protocol/live-view.ts';
import { capNarration, type Narration, narrateChanges } from '../../../src/scripts/live-view/narrate.ts';

function pod(name: string, status: string, ready: boolean, deleting = false): PodView {
  return {
    name,
    phase: 'Running',
    status,
    ready,
    readyContainers: ready ? '1/1' : '0/1',
    restarts: 0,
    image: 'img',
    deleting,
  };
}

function rs(name: string, revision: number, desired: number, pods: PodView[] = []): ReplicaSetView {
  return {
    name,
    revision,
    desired,
    current: pods.length,
    ready: pods.filter((p) => p.ready).length,
    available: 0,
    images: ['img'],
    changeCause: null,
    createdAt: null,
    template: '',
    pods,
  };
}

function deployment(
  replicaSets: ReplicaSetView[],
  reason = 'ReplicaSetUpdated',
  extra: Partial<DeploymentView> = {},
): DeploymentView {
  return {
    name: 'vweb',
    strategy: {
      type: 'RollingUpdate',
      maxSurge: '25%',
      maxUnavailable: '25%',
      maxSurgePods: 1,
      maxUnavailablePods: 0,
    },
    minReadySeconds: 0,
    replicas: { desired: 3, updated: 3, ready: 3, available: 3, current: 3 },
    paused: false,
    revision: 2,
    conditions: [{ type: 'Progressing', status: 'True', reason }],
    replicaSets,
    ...extra,
  };
}

function view(...deployments: DeploymentView[]): WorkloadsView {
  return { deployments, statefulSets: [], daemonSets: [], otherPods: [] };
}

const english = (lines: Narration[]): string[] => lines.map((l) => translate('en', l.key, l.values));
const korean = (lines: Narration[]): string[] => lines.map((l) => translate('ko', l.key, l.values));

describe('narrateChanges', () => {
  it('says nothing about the first view', () => {
    expect(narrateChanges(undefined, view(deployment([rs('vweb-a', 1, 3)])))).toEqual([]);
  });

  it('tells a rollout step: the new ReplicaSet appears, the old one shrinks, pods come and go', () => {
    const before = view(
      deployment(
        [
          rs('vweb-6bd7', 1, 3, [
            pod('p1', 'Running', true),
            pod('p2', 'Running', true),
            pod('p3', 'Running', true),
          ]),
        ],
        'NewReplicaSetAvailable',
      ),
    );
    const after = view(
      deployment([
        rs('vweb-7c67', 2, 2, [pod('n1', 'Running', true), pod('n2', 'ContainerCreating', false)]),
        rs('vweb-6bd7', 1, 2, [
          pod('p1', 'Running', true),
          pod('p2', 'Running', true),
          pod('p3', 'Running', false, true),
        ]),
      ]),
    );
    expect(english(narrateChanges(before, after))).toEqual([
      'ReplicaSet vweb-7c67 (revision 2) created with 2 desired pod(s).',
      'ReplicaSet vweb-6bd7 (revision 1) scaled from 3 to 2.',
      'Pod n1 is Running and ready.',
      'Pod n2 created: ContainerCreating.',
      'Pod p3 is terminating.',
    ]);
    expect(korean(narrateChanges(before, after))[1]).toBe(
      '레플리카셋 vweb-6bd7(리비전 1) 파드 수 3개에서 2개로 조정.',
    );
  });

  it('tells the end of a rollout, a stuck one, pods that became ready or failed, and deletions', () => {
    const before = view(
      deployment([
        rs('vweb-7c67', 2, 3, [
          pod('n1', 'ContainerCreating', false),
          pod('n2', 'Running', true),
          pod('old', 'Running', false, true),
        ]),
        rs('vweb-6bd7', 1, 0),
      ]),
    );
    const after = view(
      deployment(
        [rs('vweb-7c67', 2, 3, [pod('n1', 'Running', true), pod('n2', 'CrashLoopBackOff', false)])],
        'NewReplicaSetAvailable',
      ),
    );
    expect(english(narrateChanges(before, after))).toEqual([
      'ReplicaSet vweb-6bd7 (revision 1) deleted.',
      'Deployment vweb finished its rollout: revision 2, 3 of 3 pods ready.',
      'Pod n1 is Running and ready.',
      'Pod n2 is CrashLoopBackOff.',
      'Pod old is gone.',
    ]);
    const stuck = view(deployment([rs('vweb-7c67', 2, 3)], 'ProgressDeadlineExceeded', { paused: true }));
    expect(english(narrateChanges(view(deployment([rs('vweb-7c67', 2, 3)])), stuck))).toEqual([
      'Deployment vweb rollout paused.',
      'Deployment vweb rollout is stuck (ProgressDeadlineExceeded).',
    ]);
  });

  it('tells Deployments created and deleted, and nothing when nothing changed', () => {
    const one = view(deployment([]));
    expect(english(narrateChanges(view(), one))).toEqual(['Deployment vweb created with 3 desired pod(s).']);
    expect(english(narrateChanges(one, view()))).toEqual(['Deployment vweb deleted.']);
    expect(narrateChanges(one, view(deployment([])))).toEqual([]);
  });

  it('caps a long entry and counts the rest', () => {
    const lines = Array.from(
      { length: 12 },
      (_, i): Narration => ({ key: 'live.say.podDeleted', values: { name: `p${i}` } }),
    );
    const capped = capNarration(lines, 8);
    expect(capped).toHaveLength(8);
    expect(english(capped).at(-1)).toBe('5 more change(s).');
    expect(capNarration(lines.slice(0, 3), 8)).toHaveLength(3);
  });
});

describe('narrateChanges for StatefulSets and DaemonSets', () => {
  it('tells when the ready count of a set changes, naming its kind in the page’s language', () => {
    const set = (ready: number): WorkloadsView['statefulSets'][number] => ({
      kind: 'StatefulSet',
      name: 'todo-db',
      updateStrategy: 'RollingUpdate',
      desired: 2,
      current: 2,
      ready,
      updated: 1,
      updateRevision: 'todo-db-2',
      revisions: [],
      pods: [],
    });
    const before: WorkloadsView = { deployments: [], statefulSets: [set(1)], daemonSets: [], otherPods: [] };
    const after: WorkloadsView = { ...before, statefulSets: [set(2)] };
    expect(english(narrateChanges(before, after))).toEqual(['StatefulSet todo-db: 2 of 2 pods ready.']);
    expect(korean(narrateChanges(before, after))).toEqual(['스테이트풀셋 todo-db: 파드 2/2개 준비됨.']);
    expect(narrateChanges(after, after)).toEqual([]);
  });
});
