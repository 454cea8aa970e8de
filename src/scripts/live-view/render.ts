/**
 * Draws a `WorkloadsView` as DOM: for each Deployment its strategy and counts, a table of its
 * ReplicaSets (numbers, and a row of pod chips so a surge pod or an unready pod is seen at a
 * glance), a table of its pods, and its revision history with a pod-template diff between any
 * two revisions. Everything is real text in tables and lists; the chips repeat what the tables
 * say, with a glyph as well as a colour (✓ ready, … not ready, ! failing, × leaving).
 *
 * The element redraws the whole view on each change; `data-focus-key` on every control lets it
 * put focus back where it was, and `DiffChoice` keeps the chosen revisions across redraws.
 */
import type {
  DeploymentView,
  PodSetView,
  PodView,
  ReplicaSetView,
  WorkloadsView,
} from '../../protocol/live-view.ts';
import { type DiffLine, diffLines, diffMarker, foldUnchanged } from './diff.ts';
import type { LiveTextKey } from './narrate.ts';

/** Looks up a text by key with its placeholders filled. */
export type TextLookup = (key: LiveTextKey, values?: Record<string, string | number>) => string;

/** The two revisions compared in a Deployment's diff. */
export interface DiffChoice {
  from: number;
  to: number;
}

type Child = Node | string | null | undefined | false;

/** Creates an element with attributes (`false`/`undefined` values are left out) and children. */
function h(
  tag: string,
  attributes: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** Statuses that mean the pod is failing, not merely on its way. */
const FAILING =
  /^(CrashLoopBackOff|ErrImagePull|ImagePullBackOff|InvalidImageName|Error|CreateContainerConfigError|OOMKilled|Init:.*Error|Init:CrashLoopBackOff)$/;

/** How a pod chip looks: the class suffix and its glyph. */
export function podState(pod: PodView): {
  state: 'ready' | 'waiting' | 'failing' | 'leaving';
  glyph: string;
} {
  if (pod.deleting) return { state: 'leaving', glyph: '×' };
  if (FAILING.test(pod.status)) return { state: 'failing', glyph: '!' };
  if (pod.ready) return { state: 'ready', glyph: '✓' };
  return { state: 'waiting', glyph: '…' };
}

function podSummary(t: TextLookup, pod: PodView): string {
  const readiness = pod.deleting
    ? t('live.pod.deleting')
    : pod.ready
      ? t('live.pod.ready')
      : t('live.pod.notReady');
  return t('live.pod.summary', {
    name: pod.name,
    status: pod.status,
    ready: `${pod.readyContainers} (${readiness})`,
    image: pod.image,
  });
}

/** A pod chip; focusable (with its summary as label) when it has a focus key, else for the mouse only. */
function chip(t: TextLookup, pod: PodView, tone: 'new' | 'old', focusKey: string | undefined): HTMLElement {
  const { state, glyph } = podState(pod);
  const summary = podSummary(t, pod);
  return h(
    'li',
    {
      class: `lv-chip lv-chip-${state} lv-tone-${tone}`,
      tabindex: focusKey === undefined ? undefined : 0,
      title: summary,
      'aria-label': focusKey === undefined ? undefined : summary,
      'data-pod': pod.name,
      'data-focus-key': focusKey,
    },
    h('span', { 'aria-hidden': 'true' }, glyph),
  );
}

function chipList<P extends PodView>(
  t: TextLookup,
  label: string,
  pods: readonly P[],
  tone: (pod: P) => 'new' | 'old',
  scope: string,
): HTMLElement {
  return h(
    'ul',
    { class: 'lv-chips', 'aria-label': label },
    ...pods.map((pod) => chip(t, pod, tone(pod), `${scope}/${pod.name}`)),
  );
}

function revisionBadge(t: TextLookup, revision: number | null): HTMLElement {
  return h('span', { class: 'lv-badge' }, revision === null ? '—' : t('live.revision', { n: revision }));
}

function header(...cells: string[]): HTMLElement {
  return h('thead', {}, h('tr', {}, ...cells.map((c) => h('th', { scope: 'col' }, c))));
}

function replicaSetTable(t: TextLookup, d: DeploymentView): HTMLElement {
  const newest = d.replicaSets[0]?.name;
  const rows = d.replicaSets.map((rs) => {
    const tone = rs.name === newest ? 'new' : 'old';
    return h(
      'tr',
      {
        'data-rs': rs.name,
        'data-revision': rs.revision ?? '',
        'data-desired': rs.desired,
        'data-current': rs.current,
        'data-ready': rs.ready,
        class: `lv-tone-${tone}`,
      },
      h('td', {}, revisionBadge(t, rs.revision)),
      h('th', { scope: 'row', class: 'lv-name' }, rs.name),
      h('td', { class: 'lv-num' }, String(rs.desired)),
      h('td', { class: 'lv-num' }, String(rs.current)),
      h('td', { class: 'lv-num' }, String(rs.ready)),
      h(
        'td',
        {},
        chipList(t, t('live.pods.of', { name: rs.name }), rs.pods, () => tone, `${d.name}/${rs.name}`),
      ),
      h('td', { class: 'lv-image' }, rs.images.join(', ')),
    );
  });
  return scrollable(
    'table',
    { class: 'lv-table lv-rs-table' },
    h('caption', {}, t('live.rs.caption', { name: d.name })),
    header(
      t('live.col.revision'),
      t('live.col.replicaSet'),
      t('live.col.desired'),
      t('live.col.current'),
      t('live.col.ready'),
      t('live.col.pods'),
      t('live.col.image'),
    ),
    h('tbody', {}, ...rows),
  );
}

function podRow(pod: PodView, revision: Child): HTMLElement {
  const { state } = podState(pod);
  return h(
    'tr',
    { 'data-pod-row': pod.name, class: `lv-pod-${state}` },
    h('th', { scope: 'row', class: 'lv-name' }, pod.name),
    h('td', {}, revision),
    h('td', {}, pod.status),
    h('td', { class: 'lv-num' }, pod.readyContainers),
    h('td', { class: 'lv-image' }, pod.image),
    h('td', { class: 'lv-num' }, String(pod.restarts)),
  );
}

/**
 * `h(...)` for a wide table, inside a box that scrolls sideways on a narrow screen (a phone) so
 * the last columns are reached instead of cut off. The table keeps its own semantics.
 */
function scrollable(...args: Parameters<typeof h>): HTMLElement {
  return h('div', { class: 'lv-table-scroll' }, h(...args));
}

/** A table of pods; `hideCaption` when a heading right above already says the same. */
function podTable(t: TextLookup, caption: string, rows: HTMLElement[], hideCaption = false): HTMLElement {
  return scrollable(
    'table',
    { class: 'lv-table lv-pod-table' },
    h('caption', { class: hideCaption ? 'visually-hidden' : undefined }, caption),
    header(
      t('live.col.pod'),
      t('live.col.revision'),
      t('live.col.status'),
      t('live.col.ready'),
      t('live.col.image'),
      t('live.col.restarts'),
    ),
    h('tbody', {}, ...rows),
  );
}

/** The revisions of a Deployment that can be compared, oldest first. */
export function timelineOf(d: DeploymentView): ReplicaSetView[] {
  return d.replicaSets
    .filter((rs): rs is ReplicaSetView & { revision: number } => rs.revision !== null)
    .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
}

/** The pair to compare: the learner's choice while both still exist, else the two newest. */
export function chooseDiff(
  revisions: readonly number[],
  choice: DiffChoice | undefined,
): DiffChoice | undefined {
  if (revisions.length < 2) return undefined;
  if (choice && revisions.includes(choice.from) && revisions.includes(choice.to)) return choice;
  return { from: revisions.at(-2)!, to: revisions.at(-1)! };
}

function diffView(t: TextLookup, lines: readonly DiffLine[]): HTMLElement {
  if (!lines.some((line) => line.kind !== 'same')) return h('p', { class: 'lv-note' }, t('live.diff.same'));
  return h(
    'pre',
    { class: 'lv-diff', tabindex: 0, 'aria-label': t('live.diff.title') },
    ...foldUnchanged(lines).map((line) =>
      line.kind === 'skipped'
        ? h('span', { class: 'lv-line lv-skipped' }, `  ${t('live.diff.skipped', { n: line.count })}\n`)
        : h('span', { class: `lv-line lv-${line.kind}` }, `${diffMarker(line.kind)} ${line.text}\n`),
    ),
  );
}

function revisionSelect(
  label: string,
  name: string,
  focusKey: string,
  revisions: readonly number[],
  value: number,
  t: TextLookup,
): HTMLElement {
  const select = h(
    'select',
    { 'data-diff': name, 'data-focus-key': focusKey },
    ...revisions.map((n) => h('option', { value: n, selected: n === value }, t('live.revision', { n }))),
  );
  return h('label', { class: 'lv-select' }, `${label} `, select);
}

function history(t: TextLookup, d: DeploymentView, choice: DiffChoice | undefined): HTMLElement {
  const timeline = timelineOf(d);
  const revisions = timeline.map((rs) => rs.revision as number);
  const items = timeline.map((rs) =>
    h(
      'li',
      {
        'data-history-revision': rs.revision ?? '',
        'aria-current': rs.revision === d.revision ? 'true' : undefined,
      },
      revisionBadge(t, rs.revision),
      ' ',
      h('span', { class: 'lv-image' }, rs.images.join(', ')),
      ' · ',
      h(
        'span',
        { class: 'lv-cause' },
        `${t('live.col.changeCause')}: ${rs.changeCause ?? t('live.history.none')}`,
      ),
      rs.revision === d.revision
        ? h('span', { class: 'lv-badge lv-badge-current' }, t('live.revision.current'))
        : null,
    ),
  );
  const chosen = chooseDiff(revisions, choice);
  const section = h(
    'section',
    { class: 'lv-history', 'data-history': d.name },
    h('h4', {}, t('live.history.title')),
    h('ol', { class: 'lv-timeline' }, ...items),
  );
  if (!chosen) {
    section.append(h('p', { class: 'lv-note' }, t('live.diff.one')));
    return section;
  }
  const before = timeline.find((rs) => rs.revision === chosen.from)?.template ?? '';
  const after = timeline.find((rs) => rs.revision === chosen.to)?.template ?? '';
  section.append(
    h(
      'div',
      { class: 'lv-diff-controls', role: 'group', 'aria-label': t('live.diff.title') },
      h('strong', {}, t('live.diff.title')),
      revisionSelect(t('live.diff.from'), 'from', `${d.name}/diff-from`, revisions, chosen.from, t),
      revisionSelect(t('live.diff.to'), 'to', `${d.name}/diff-to`, revisions, chosen.to, t),
      h('span', { class: 'lv-note' }, t('live.diff.legend')),
    ),
    diffView(t, diffLines(before, after)),
  );
  return section;
}

function deploymentSection(t: TextLookup, d: DeploymentView, choice: DiffChoice | undefined): HTMLElement {
  const s = d.strategy;
  const strategy =
    s.type === 'RollingUpdate'
      ? t('live.strategy.rolling', {
          maxSurge: String(s.maxSurge ?? ''),
          surge: s.maxSurgePods,
          maxUnavailable: String(s.maxUnavailable ?? ''),
          unavailable: s.maxUnavailablePods,
        })
      : s.type === 'Recreate'
        ? t('live.strategy.recreate')
        : s.type;
  const newest = d.replicaSets[0]?.name;
  const allPods = d.replicaSets.flatMap((rs) => rs.pods.map((pod) => ({ pod, rs })));
  // The controller's surge bound counts pods that are not being deleted: a Terminating pod is
  // shown (×) but does not hold one of the allowed places.
  const leaving = allPods.filter(({ pod }) => pod.deleting).length;
  const counted = allPods.length - leaving;
  const capacity =
    t('live.capacity', {
      current: counted,
      desired: d.replicas.desired,
      max: d.replicas.desired + s.maxSurgePods,
      min: Math.max(0, d.replicas.desired - s.maxUnavailablePods),
    }) + (leaving > 0 ? t('live.capacity.leaving', { n: leaving }) : '');
  // The whole Deployment as one row of chips, newest revision first, then dashed slots for the
  // surge still allowed: 3 desired + 1 surge shows four places. A picture of the sentence below
  // it (and of the ReplicaSet rows), so hidden from screen readers and out of the Tab order.
  const slots = Math.max(0, d.replicas.desired + s.maxSurgePods - counted);
  const meter = h(
    'ul',
    { class: 'lv-chips lv-meter', 'aria-hidden': 'true' },
    ...allPods.map(({ pod, rs }, i) => {
      const li = chip(t, pod, rs.name === newest ? 'new' : 'old', undefined);
      // A gap where the pods of one revision end and the next revision's begin.
      if (i > 0 && allPods[i - 1]!.rs !== rs) li.classList.add('lv-next-revision');
      return li;
    }),
    ...Array.from({ length: slots }, () => h('li', { class: 'lv-slot', 'aria-hidden': 'true' })),
  );
  return h(
    'article',
    { class: 'lv-workload', 'data-deployment': d.name, 'data-desired': d.replicas.desired },
    h(
      'header',
      { class: 'lv-head' },
      h('h3', {}, t('live.deployment', { name: d.name })),
      revisionBadge(t, d.revision),
      d.paused ? h('span', { class: 'lv-badge lv-badge-warn' }, t('live.paused')) : null,
    ),
    h(
      'p',
      { class: 'lv-strategy' },
      strategy,
      d.minReadySeconds > 0 ? ` · ${t('live.minReady', { s: d.minReadySeconds })}` : '',
    ),
    h('p', { class: 'lv-counts' }, t('live.replicas', d.replicas)),
    h('div', { class: 'lv-capacity' }, meter, h('p', {}, capacity)),
    d.conditions.length > 0
      ? h(
          'ul',
          { class: 'lv-conditions' },
          ...d.conditions.map((c) =>
            h(
              'li',
              { class: `lv-condition lv-condition-${c.status.toLowerCase()}`, title: c.message },
              t('live.condition', { type: c.type, reason: c.reason ?? c.status }),
            ),
          ),
        )
      : null,
    replicaSetTable(t, d),
    podTable(
      t,
      t('live.pods.caption', { name: d.name }),
      allPods.map(({ pod, rs }) => podRow(pod, revisionBadge(t, rs.revision))),
    ),
    history(t, d, choice),
  );
}

function podSetSection(t: TextLookup, set: PodSetView): HTMLElement {
  const revisions = set.revisions.map((r) => `${r.revision} (${r.images.join(', ')})`).join(', ');
  const number = new Map(set.revisions.map((r) => [r.name, r.revision]));
  const revisionOf = (name: string | null): number | null => {
    if (name === null) return null;
    // StatefulSet pods carry the revision's name, DaemonSet pods only its hash suffix.
    for (const [full, n] of number) if (full === name || full.endsWith(`-${name}`)) return n;
    return null;
  };
  const newestRevision = revisionOf(set.updateRevision);
  return h(
    'article',
    { class: 'lv-workload', 'data-podset': `${set.kind}/${set.name}` },
    h(
      'header',
      { class: 'lv-head' },
      h('h3', {}, t(set.kind === 'StatefulSet' ? 'live.statefulSet' : 'live.daemonSet', { name: set.name })),
    ),
    h(
      'p',
      { class: 'lv-strategy' },
      t('live.set.strategy', { strategy: set.updateStrategy }),
      set.partition !== undefined ? ` · ${t('live.set.partition', { n: set.partition })}` : '',
    ),
    h(
      'p',
      { class: 'lv-counts' },
      t('live.set.counts', {
        desired: set.desired,
        current: set.current,
        ready: set.ready,
        updated: set.updated,
      }),
    ),
    chipList(
      t,
      t('live.pods.caption', { name: set.name }),
      set.pods,
      (pod) => (pod.revision !== null && revisionOf(pod.revision) === newestRevision ? 'new' : 'old'),
      `${set.kind}/${set.name}`,
    ),
    revisions ? h('p', { class: 'lv-note' }, t('live.set.revisions', { list: revisions })) : null,
    podTable(
      t,
      t('live.pods.caption', { name: set.name }),
      set.pods.map((pod) => podRow(pod, revisionBadge(t, revisionOf(pod.revision)))),
    ),
  );
}

/** Whether the view has anything to draw. */
export function isEmptyView(view: WorkloadsView): boolean {
  return (
    view.deployments.length === 0 &&
    view.statefulSets.length === 0 &&
    view.daemonSets.length === 0 &&
    view.otherPods.length === 0
  );
}

/** The whole view as a fragment to put in the element. */
export function renderView(
  t: TextLookup,
  view: WorkloadsView,
  choices: ReadonlyMap<string, DiffChoice>,
): DocumentFragment {
  const fragment = document.createDocumentFragment();
  if (isEmptyView(view)) {
    fragment.append(h('p', { class: 'lv-note lv-empty' }, t('live.nothing')));
    return fragment;
  }
  for (const d of view.deployments) fragment.append(deploymentSection(t, d, choices.get(d.name)));
  for (const set of [...view.statefulSets, ...view.daemonSets]) fragment.append(podSetSection(t, set));
  if (view.otherPods.length > 0) {
    fragment.append(
      h(
        'article',
        { class: 'lv-workload', 'data-other-pods': '' },
        h('header', { class: 'lv-head' }, h('h3', {}, t('live.otherPods'))),
        podTable(
          t,
          t('live.otherPods'),
          view.otherPods.map((pod) => podRow(pod, '—')),
          true,
        ),
      ),
    );
  }
  return fragment;
}
