/**
 * The live view's spoken side: what changed between two views, as sentences a screen reader
 * reads from the view's `role="log"`. Pure: the element decides when to compare (it waits for
 * the cluster to go quiet, so a ReplicaSet that goes 1 → 2 → 3 in a burst is told once as
 * "scaled from 1 to 3"), this module only says what differs.
 *
 * Order follows how a learner reads a rollout: Deployments, then their ReplicaSets newest first,
 * then pods; StatefulSets and DaemonSets after.
 */
import type { UiKey } from '../../i18n/ui.ts';
import type { DeploymentView, PodView, WorkloadsView } from '../../protocol/live-view.ts';

/** The live view's interface text keys. */
export type LiveTextKey = Extract<UiKey, `live.${string}`>;

/** One sentence: a text key and the values of its placeholders. */
export interface Narration {
  key: LiveTextKey;
  values: Record<string, string | number>;
}

function say(key: LiveTextKey, values: Record<string, string | number>): Narration {
  return { key, values };
}

function indexByName<T extends { name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.name, item]));
}

/** Every pod of a view by name, wherever it is drawn. */
function allPods(view: WorkloadsView): Map<string, PodView> {
  const pods: PodView[] = [...view.otherPods];
  for (const d of view.deployments) for (const rs of d.replicaSets) pods.push(...rs.pods);
  for (const set of [...view.statefulSets, ...view.daemonSets]) pods.push(...set.pods);
  return indexByName(pods);
}

/** `?` when a ReplicaSet has no revision (made by hand). */
function revisionText(revision: number | null): string | number {
  return revision ?? '?';
}

function progressReason(d: DeploymentView): string | undefined {
  return d.conditions.find((c) => c.type === 'Progressing')?.reason;
}

function narrateDeployment(before: DeploymentView | undefined, after: DeploymentView): Narration[] {
  const out: Narration[] = [];
  if (!before)
    out.push(say('live.say.deploymentCreated', { name: after.name, replicas: after.replicas.desired }));
  const oldSets = indexByName(before?.replicaSets ?? []);
  for (const rs of after.replicaSets) {
    const old = oldSets.get(rs.name);
    const revision = revisionText(rs.revision);
    if (!old) out.push(say('live.say.rsCreated', { name: rs.name, revision, desired: rs.desired }));
    else if (old.desired !== rs.desired)
      out.push(say('live.say.rsScaled', { name: rs.name, revision, from: old.desired, to: rs.desired }));
  }
  const kept = new Set(after.replicaSets.map((rs) => rs.name));
  for (const old of before?.replicaSets ?? []) {
    if (!kept.has(old.name))
      out.push(say('live.say.rsDeleted', { name: old.name, revision: revisionText(old.revision) }));
  }
  if (before && before.paused !== after.paused)
    out.push(say(after.paused ? 'live.say.paused' : 'live.say.resumed', { name: after.name }));
  const reason = progressReason(after);
  if (before && reason !== progressReason(before)) {
    if (reason === 'NewReplicaSetAvailable')
      out.push(
        say('live.say.rolloutDone', {
          name: after.name,
          revision: revisionText(after.revision),
          ready: after.replicas.ready,
          desired: after.replicas.desired,
        }),
      );
    else if (reason === 'ProgressDeadlineExceeded')
      out.push(say('live.say.rolloutStuck', { name: after.name, reason }));
  }
  return out;
}

function narratePod(before: PodView | undefined, after: PodView): Narration[] {
  const name = after.name;
  if (!before) {
    if (after.ready) return [say('live.say.podReady', { name })];
    return [say('live.say.podCreated', { name, status: after.status })];
  }
  if (after.deleting && !before.deleting) return [say('live.say.podTerminating', { name })];
  if (after.deleting) return [];
  if (after.ready && !before.ready) return [say('live.say.podReady', { name })];
  if (after.status !== before.status || (before.ready && !after.ready))
    return [say('live.say.podStatus', { name, status: after.status })];
  return [];
}

/**
 * What changed from `before` to `after`, in reading order. Nothing for the first view: the page
 * itself shows it as text, and a screen reader should not hear a whole namespace at load.
 */
export function narrateChanges(before: WorkloadsView | undefined, after: WorkloadsView): Narration[] {
  if (!before) return [];
  const out: Narration[] = [];
  const oldDeployments = indexByName(before.deployments);
  for (const d of after.deployments) out.push(...narrateDeployment(oldDeployments.get(d.name), d));
  const keptDeployments = new Set(after.deployments.map((d) => d.name));
  for (const d of before.deployments)
    if (!keptDeployments.has(d.name)) out.push(say('live.say.deploymentDeleted', { name: d.name }));

  for (const kind of ['statefulSets', 'daemonSets'] as const) {
    const old = indexByName(before[kind]);
    for (const set of after[kind]) {
      const previous = old.get(set.name);
      if (previous?.ready !== set.ready || previous?.desired !== set.desired)
        out.push(
          say(set.kind === 'StatefulSet' ? 'live.say.statefulSetReady' : 'live.say.daemonSetReady', {
            name: set.name,
            ready: set.ready,
            desired: set.desired,
          }),
        );
    }
  }

  const oldPods = allPods(before);
  const newPods = allPods(after);
  for (const [name, pod] of newPods) out.push(...narratePod(oldPods.get(name), pod));
  for (const name of oldPods.keys()) if (!newPods.has(name)) out.push(say('live.say.podDeleted', { name }));
  return out;
}

/**
 * The sentences of one log entry: at most `limit` of them, then one that counts the rest, so a
 * namespace deleted at once is not read out pod by pod.
 */
export function capNarration(lines: readonly Narration[], limit: number): Narration[] {
  if (lines.length <= limit) return [...lines];
  return [...lines.slice(0, limit - 1), say('live.say.more', { n: lines.length - (limit - 1) })];
}
