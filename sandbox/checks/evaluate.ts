/**
 * Judges a step's declared checks against one namespace's objects, as plain API JSON, and explains
 * every difference in the page's language: what the step expects and what the cluster has. Pure:
 * the caller lists the objects (from a watch or a one-off read) and renders the result.
 */
import type { KubeObject } from '../cluster/api/objects.ts';
import {
  computeRolloutHistory,
  describePodStatus,
  describeReadyContainers,
  isControlledBy,
  isPodReady,
  readFirstImage,
  readRevision,
  sortNewestFirst,
} from './kube-views.ts';
import { matchesLabelSelector, parseLabelSelector } from './label-selector.ts';
import { type AbsentResource, type Check, type CheckInput, checkSchema } from './schema.ts';

/** The page languages a message can be written in. */
export type Locale = 'ko' | 'en';

/** Every object of one namespace a check may look at, as the Kubernetes API returns them. */
export interface NamespaceSnapshot {
  deployments: readonly KubeObject[];
  replicaSets: readonly KubeObject[];
  pods: readonly KubeObject[];
  services: readonly KubeObject[];
  endpoints: readonly KubeObject[];
  configMaps: readonly KubeObject[];
  statefulSets: readonly KubeObject[];
  daemonSets: readonly KubeObject[];
  controllerRevisions: readonly KubeObject[];
  /** Core v1 Events: the record of what controllers did, kept after the objects are gone. */
  events: readonly KubeObject[];
}

/** The verdict on one check. */
export interface CheckResult {
  passed: boolean;
  /** What the check wants, in short. */
  expected: string;
  /** What the cluster has, in short. */
  actual: string;
  /** One or more sentences for the learner (on failure: each difference, then advice). */
  message: string;
}

/** The verdict on a step: `pending` while the namespace holds nothing the step looks at. */
export interface StepResult {
  status: 'passed' | 'failed' | 'pending';
  results: CheckResult[];
}

/** What an evaluator found before it is worded as a result. */
interface Finding {
  /** Whether the namespace holds anything this check looks at. */
  found: boolean;
  expected: string;
  actual: string;
  problems: string[];
  /** Built-in advice for the failure, replaced by the check's own `hint` when it has one. */
  advice?: string | undefined;
  /** What the cluster shows went wrong (e.g. an image that cannot be pulled); always kept. */
  diagnosis?: string | undefined;
}

/** Picks the sentence for the page's language. */
function say(locale: Locale, en: string, ko: string): string {
  return locale === 'ko' ? ko : en;
}

/**
 * The Korean subject particle for a word: 이 after a final consonant (컨피그맵이), 가 after a vowel
 * (디플로이먼트가). Only Hangul endings are read; callers put a Hangul noun last.
 */
function subjectParticle(word: string): '이' | '가' {
  const code = word.charCodeAt(word.length - 1);
  const isSyllable = code >= 0xac00 && code <= 0xd7a3;
  return isSyllable && (code - 0xac00) % 28 !== 0 ? '이' : '가';
}

/** `a`, `a and b`, `a, b and c`. */
function listInEnglish(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function isLive(obj: KubeObject): boolean {
  return obj.metadata.deletionTimestamp === undefined;
}

function findByName(list: readonly KubeObject[], name: string): KubeObject | undefined {
  return list.find((o) => o.metadata.name === name);
}

function selectByLabels(list: readonly KubeObject[], selector: string): KubeObject[] {
  const requirements = parseLabelSelector(selector);
  return list.filter((o) => isLive(o) && matchesLabelSelector(o.metadata.labels, requirements));
}

function countMatches(mode: 'exactly' | 'atLeast', expected: number, actual: number): boolean {
  return mode === 'atLeast' ? actual >= expected : actual === expected;
}

/** One compared field of a named object: label, wanted and found values, already worded. */
interface FieldComparison {
  label: string;
  expected: string;
  actual: string;
  equal: boolean;
}

/** Words a list of field comparisons of one object into a finding. */
function judgeFields(
  locale: Locale,
  subject: string,
  fields: readonly FieldComparison[],
  advice?: string,
): Finding {
  const problems = fields
    .filter((f) => !f.equal)
    .map((f) =>
      say(
        locale,
        `${subject}: expected ${f.label} ${f.expected}, found ${f.actual}.`,
        `${subject}의 ${f.label}: ${f.expected} 이어야 하는데 지금은 ${f.actual} 입니다.`,
      ),
    );
  return {
    found: true,
    expected: fields.map((f) => `${f.label} ${f.expected}`).join(', '),
    actual: fields.map((f) => `${f.label} ${f.actual}`).join(', '),
    problems,
    advice: problems.length > 0 ? advice : undefined,
  };
}

function compareNumber(label: string, expected: number | undefined, actual: number): FieldComparison[] {
  if (expected === undefined) return [];
  return [{ label, expected: String(expected), actual: String(actual), equal: expected === actual }];
}

function missingObject(locale: Locale, subject: string, expected: string): Finding {
  return {
    found: false,
    expected,
    actual: say(locale, `no ${subject}`, `${subject} 없음`),
    problems: [say(locale, `${subject} not found.`, `${subject}${subjectParticle(subject)} 없습니다.`)],
  };
}

// ---------------------------------------------------------------- ReplicaSets

/** Pod STATUS values that mean the image could not be pulled. */
const IMAGE_PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName']);

function describeReplicaSet(locale: Locale, rs: KubeObject): string {
  const desired = rs.spec?.replicas ?? 0;
  const ready = rs.status?.readyReplicas ?? 0;
  return say(
    locale,
    `${rs.metadata.name} (${desired} desired, ${ready} ready)`,
    `${rs.metadata.name} (DESIRED ${desired}, READY ${ready})`,
  );
}

function nameNewestPosition(locale: Locale, index: number): string {
  if (locale === 'ko') return index === 0 ? '가장 최신' : `최신에서 ${index + 1}번째`;
  const ordinals = ['newest', '2nd newest', '3rd newest'];
  return ordinals[index] ?? `${index + 1}th newest`;
}

function evaluateReplicaSets(
  check: Extract<Check, { kind: 'replicaSets' }>,
  snapshot: NamespaceSnapshot,
  locale: Locale,
): Finding {
  const { selector } = check;
  const replicaSets = sortNewestFirst(selectByLabels(snapshot.replicaSets, selector));
  const listed = replicaSets.map((rs) => describeReplicaSet(locale, rs)).join(', ');
  const expectedParts: string[] = [];
  const problems: string[] = [];
  let advice: string | undefined;
  const atLeast = check.countMode === 'atLeast';

  if (check.count !== undefined) {
    const wanted = say(
      locale,
      `${atLeast ? 'at least ' : ''}${plural(check.count, 'ReplicaSet')} for ${selector}`,
      `${selector} 레플리카셋 ${check.count}개${atLeast ? ' 이상' : ''}`,
    );
    expectedParts.push(wanted);
    if (!countMatches(check.countMode, check.count, replicaSets.length)) {
      const found = replicaSets.length;
      problems.push(
        say(
          locale,
          `Expected ${wanted}, found ${found === 0 ? 'none' : `${found}: ${listed}`}.`,
          `${selector} 레플리카셋이 ${check.count}개${atLeast ? ' 이상' : ''} 있어야 하는데 ${found}개입니다${found === 0 ? '' : `: ${listed}`}.`,
        ),
      );
      if (found > 0 && found < check.count) {
        advice = say(
          locale,
          'Did the image change? A scale alone is not a rollout.',
          '이미지를 바꿨나요? 스케일링만으로는 롤아웃이 일어나지 않습니다.',
        );
      }
    }
  }

  // With the wrong number of ReplicaSets, "the newest" is not the one the step means: comparing
  // its numbers would only add noise to the count message.
  const compareEach = problems.length === 0;
  for (const [index, wanted] of (check.replicaSets ?? []).entries()) {
    const position = nameNewestPosition(locale, index);
    const fields: [string, number | undefined][] = [
      [say(locale, 'desired', 'DESIRED'), wanted.desired],
      [say(locale, 'current', 'CURRENT'), wanted.current],
      [say(locale, 'ready', 'READY'), wanted.ready],
      [say(locale, 'revision', '리비전'), wanted.revision],
    ];
    const word = (label: string, value: number | undefined) =>
      locale === 'en' && label !== 'revision' ? `${value} ${label}` : `${label} ${value}`;
    const declared = fields.filter(([, value]) => value !== undefined);
    expectedParts.push(`${position}: ${declared.map(([label, value]) => word(label, value)).join(', ')}`);
    const rs = replicaSets[index];
    if (!compareEach) continue;
    if (rs === undefined) {
      problems.push(
        say(
          locale,
          `There is no ${position} ReplicaSet for ${selector} (found ${replicaSets.length}).`,
          `${selector} 레플리카셋 중 ${position} 레플리카셋이 없습니다(${replicaSets.length}개 있음).`,
        ),
      );
      continue;
    }
    const actualValues = [
      rs.spec?.replicas ?? 0,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      readRevision(rs) ?? 0,
    ];
    // One sentence per ReplicaSet, naming every field that differs.
    const differing = fields
      .map(([label, value], i) => ({ label, value, actual: actualValues[i] ?? 0 }))
      .filter((f) => f.value !== undefined && f.value !== f.actual);
    if (differing.length > 0) {
      const has = differing.map((f) => word(f.label, f.actual));
      const wants = differing.map((f) => word(f.label, f.value));
      problems.push(
        say(
          locale,
          `ReplicaSet ${rs.metadata.name} (${position}) has ${listInEnglish(has)}, expected ${listInEnglish(wants)}.`,
          `${position} 레플리카셋 ${rs.metadata.name}: ${wants.join(', ')} 이어야 하는데 지금은 ${has.join(', ')} 입니다.`,
        ),
      );
    }
  }

  return {
    found: replicaSets.length > 0,
    expected: expectedParts.join('; '),
    actual: say(
      locale,
      `${plural(replicaSets.length, 'ReplicaSet')}${listed ? `: ${listed}` : ''}`,
      `레플리카셋 ${replicaSets.length}개${listed ? `: ${listed}` : ''}`,
    ),
    problems,
    advice,
    diagnosis: problems.length > 0 ? diagnosePullFailure(replicaSets, snapshot, locale) : undefined,
  };
}

/**
 * Why a rollout is stuck, when the cluster says so: a pod of one of these ReplicaSets that cannot
 * pull its image (a typo in the tag is the classic). Names the pod, its STATUS and the image.
 */
function diagnosePullFailure(
  replicaSets: readonly KubeObject[],
  snapshot: NamespaceSnapshot,
  locale: Locale,
): string | undefined {
  for (const [index, rs] of replicaSets.entries()) {
    const pod = snapshot.pods.find(
      (p) => isLive(p) && isControlledBy(p, rs) && IMAGE_PULL_FAILURES.has(describePodStatus(p)),
    );
    if (pod === undefined) continue;
    const status = describePodStatus(pod);
    const image = readFirstImage(pod.spec) ?? '?';
    const position = nameNewestPosition(locale, index);
    return say(
      locale,
      `Pod ${pod.metadata.name} of the ${position} ReplicaSet shows ${status}: the image ${image} could not be pulled. Check the image name and tag.`,
      `${position} 레플리카셋의 파드 ${pod.metadata.name}의 STATUS는 ${status} 입니다. ${image} 이미지를 받아 오지 못했습니다. 이미지 이름과 태그를 확인하세요.`,
    );
  }
  return undefined;
}

// ---------------------------------------------------------------- rollout history

function evaluateRolloutHistory(
  check: Extract<Check, { kind: 'rolloutHistory' }>,
  snapshot: NamespaceSnapshot,
  locale: Locale,
): Finding {
  const name = check.deployment;
  const subject = say(locale, `Deployment ${name}`, `${name} 디플로이먼트`);
  const expectedParts: string[] = [];
  if (check.revisions !== undefined)
    expectedParts.push(say(locale, plural(check.revisions, 'revision'), `리비전 ${check.revisions}개`));
  if (check.latestRevision !== undefined)
    expectedParts.push(
      say(locale, `latest revision ${check.latestRevision}`, `최신 리비전 ${check.latestRevision}`),
    );
  if (check.changeCauseContains !== undefined)
    expectedParts.push(
      say(
        locale,
        `change-cause of the latest revision containing "${check.changeCauseContains}"`,
        `최신 리비전의 CHANGE-CAUSE에 "${check.changeCauseContains}" 포함`,
      ),
    );
  const expected = expectedParts.join(', ');
  const deployment = findByName(snapshot.deployments, name);
  if (deployment === undefined) return missingObject(locale, subject, expected);

  const history = computeRolloutHistory(deployment, snapshot.replicaSets);
  const rows = history.map((h) => `${h.revision} (${h.changeCause ?? '<none>'})`).join(', ');
  const latest = history.at(-1);
  const problems: string[] = [];
  let advice: string | undefined;

  if (check.revisions !== undefined && history.length !== check.revisions) {
    problems.push(
      say(
        locale,
        `Rollout history of deployment ${name} has ${plural(history.length, 'revision')}, expected ${check.revisions}${rows ? `: ${rows}` : ''}.`,
        `${name} 디플로이먼트의 롤아웃 히스토리에 리비전이 ${check.revisions}개 있어야 하는데 ${history.length}개입니다${rows ? `: ${rows}` : ''}.`,
      ),
    );
  }
  if (check.latestRevision !== undefined && latest?.revision !== check.latestRevision) {
    const found = latest === undefined ? say(locale, 'none', '없음') : String(latest.revision);
    problems.push(
      say(
        locale,
        `The latest revision of deployment ${name} is ${found}, expected ${check.latestRevision}.`,
        `${name} 디플로이먼트의 최신 리비전: ${check.latestRevision} 이어야 하는데 지금은 ${found} 입니다.`,
      ),
    );
  }
  // When the latest revision is not the one the step means, its change-cause is beside the point:
  // asking whether --record was used would send the learner the wrong way.
  const judgedRevision = check.latestRevision === undefined || latest?.revision === check.latestRevision;
  const wantedCause = judgedRevision ? check.changeCauseContains : undefined;
  if (wantedCause !== undefined && latest !== undefined && !latest.changeCause?.includes(wantedCause)) {
    if (latest.changeCause === undefined) {
      problems.push(
        say(
          locale,
          `Revision ${latest.revision} of deployment ${name} has no change-cause (<none>); expected one containing "${wantedCause}".`,
          `${name} 디플로이먼트의 리비전 ${latest.revision}에 CHANGE-CAUSE가 없습니다(<none>). "${wantedCause}" 문자열이 들어 있어야 합니다.`,
        ),
      );
      advice = say(
        locale,
        'Did you add --record? It saves the command line as the change-cause.',
        '명령에 --record 를 붙였나요? --record 는 실행한 명령을 CHANGE-CAUSE로 남깁니다.',
      );
    } else {
      problems.push(
        say(
          locale,
          `Revision ${latest.revision} of deployment ${name} has change-cause "${latest.changeCause}", expected it to contain "${wantedCause}".`,
          `${name} 디플로이먼트의 리비전 ${latest.revision} CHANGE-CAUSE는 "${latest.changeCause}" 인데, "${wantedCause}" 문자열이 들어 있어야 합니다.`,
        ),
      );
    }
  } else if (wantedCause !== undefined && latest === undefined && problems.length === 0) {
    problems.push(
      say(
        locale,
        `Deployment ${name} has no rollout history yet.`,
        `${name} 디플로이먼트에는 아직 롤아웃 히스토리가 없습니다.`,
      ),
    );
  }

  return {
    found: true,
    expected,
    actual: say(
      locale,
      history.length === 0 ? 'no revisions' : `revisions ${rows}`,
      history.length === 0 ? '리비전 없음' : `리비전 ${rows}`,
    ),
    problems,
    advice,
  };
}

// ---------------------------------------------------------------- Deployment

function describeCondition(
  condition: { status?: string; reason?: string } | undefined,
  locale: Locale,
): string {
  if (condition === undefined) return say(locale, 'missing', '없음');
  return [condition.status, condition.reason].filter((v) => v !== undefined).join('/');
}

function evaluateDeployment(
  check: Extract<Check, { kind: 'deployment' }>,
  snapshot: NamespaceSnapshot,
  locale: Locale,
): Finding {
  const subject = say(locale, `Deployment ${check.name}`, `${check.name} 디플로이먼트`);
  const deployment = findByName(snapshot.deployments, check.name);
  const fields: FieldComparison[] = [];
  const containers: { name?: string; image?: string }[] = deployment?.spec?.template?.spec?.containers ?? [];
  const container =
    typeof check.container === 'number'
      ? containers[check.container]
      : containers.find((c) => c.name === check.container);
  const containerName = container?.name ?? String(check.container);
  const none = say(locale, 'none', '없음');
  if (check.image !== undefined) {
    const actual = container?.image ?? none;
    fields.push({
      label: say(locale, `image of container ${containerName}`, `컨테이너 ${containerName} 이미지`),
      expected: check.image,
      actual,
      equal: actual === check.image,
    });
  }
  const status = deployment?.status ?? {};
  fields.push(
    ...compareNumber(say(locale, 'replicas', '레플리카 수'), check.replicas, deployment?.spec?.replicas ?? 1),
    ...compareNumber(
      say(locale, 'updated replicas', 'UP-TO-DATE 레플리카'),
      check.updated,
      status.updatedReplicas ?? 0,
    ),
    ...compareNumber(say(locale, 'ready replicas', 'READY 레플리카'), check.ready, status.readyReplicas ?? 0),
    ...compareNumber(
      say(locale, 'available replicas', 'AVAILABLE 레플리카'),
      check.available,
      status.availableReplicas ?? 0,
    ),
  );
  if (check.condition !== undefined) {
    const wanted = check.condition;
    const conditions: { type?: string; status?: string; reason?: string }[] = status.conditions ?? [];
    const found = conditions.find((c) => c.type === wanted.type);
    const equal =
      found !== undefined &&
      (wanted.status === undefined || found.status === wanted.status) &&
      (wanted.reason === undefined || found.reason === wanted.reason);
    fields.push({
      label: say(locale, `condition ${wanted.type}`, `${wanted.type} 컨디션`),
      expected: describeCondition(wanted, locale),
      actual: describeCondition(found, locale),
      equal,
    });
  }
  if (check.strategy !== undefined) {
    const actual: string = deployment?.spec?.strategy?.type ?? 'RollingUpdate';
    fields.push({
      label: say(locale, 'strategy', 'StrategyType'),
      expected: check.strategy,
      actual,
      equal: actual === check.strategy,
    });
  }
  if (deployment === undefined)
    return missingObject(locale, subject, fields.map((f) => `${f.label} ${f.expected}`).join(', '));
  return judgeFields(locale, subject, fields);
}

// ---------------------------------------------------------------- Pods

const MAX_LISTED_PODS = 5;

function evaluatePods(
  check: Extract<Check, { kind: 'pods' }>,
  snapshot: NamespaceSnapshot,
  locale: Locale,
): Finding {
  const { selector } = check;
  const pods = selectByLabels(snapshot.pods, selector).sort((a, b) =>
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
  const describe = (pod: KubeObject): string => {
    const image = check.image !== undefined ? `, ${readFirstImage(pod.spec) ?? '?'}` : '';
    return say(
      locale,
      `${pod.metadata.name} (${describePodStatus(pod)}, ${describeReadyContainers(pod)} ready${image})`,
      `${pod.metadata.name} (${describePodStatus(pod)}, READY ${describeReadyContainers(pod)}${image})`,
    );
  };
  // A namespace can hold dozens of pods; name the first few and count the rest.
  const listPods = (list: readonly KubeObject[]): string => {
    const shown = list.slice(0, MAX_LISTED_PODS).map(describe);
    const rest = list.length - shown.length;
    if (rest > 0) shown.push(say(locale, `and ${rest} more`, `외 ${rest}개`));
    return shown.join(', ');
  };
  const conditionsEn: string[] = [];
  const conditionsKo: string[] = [];
  const tests: ((pod: KubeObject) => boolean)[] = [];
  if (check.phase !== undefined) {
    conditionsEn.push(`in phase ${check.phase}`);
    conditionsKo.push(`phase ${check.phase}`);
    tests.push((pod) => pod.status?.phase === check.phase);
  }
  if (check.ready !== undefined) {
    conditionsEn.push(check.ready ? 'ready' : 'not ready');
    conditionsKo.push(check.ready ? '준비됨(Ready)' : '준비되지 않음');
    tests.push((pod) => isPodReady(pod) === check.ready);
  }
  if (check.reason !== undefined) {
    conditionsEn.push(`showing ${check.reason}`);
    conditionsKo.push(`STATUS ${check.reason}`);
    tests.push((pod) => describePodStatus(pod) === check.reason);
  }
  if (check.image !== undefined) {
    conditionsEn.push(`running ${check.image}`);
    conditionsKo.push(`이미지 ${check.image}`);
    tests.push((pod) => readFirstImage(pod.spec) === check.image);
  }
  const what = say(locale, conditionsEn.join(' and '), conditionsKo.join(', '));
  const meets = (pod: KubeObject) => tests.every((t) => t(pod));
  const atLeast = check.countMode === 'atLeast';
  const expectedParts: string[] = [];
  const problems: string[] = [];
  if (check.count !== undefined) {
    const wanted = say(
      locale,
      `${atLeast ? 'at least ' : ''}${plural(check.count, 'pod')} for ${selector}`,
      `${selector} 파드 ${check.count}개${atLeast ? ' 이상' : ''}`,
    );
    expectedParts.push(wanted);
    if (!countMatches(check.countMode, check.count, pods.length)) {
      const listed = listPods(pods);
      problems.push(
        say(
          locale,
          `Expected ${wanted}, found ${pods.length === 0 ? 'none' : `${pods.length}: ${listed}`}.`,
          `${selector} 파드가 ${check.count}개${atLeast ? ' 이상' : ''} 있어야 하는데 ${pods.length}개입니다${pods.length === 0 ? '' : `: ${listed}`}.`,
        ),
      );
    }
  }
  let failing: KubeObject[] = [];
  if (tests.length > 0) {
    const every = check.quantifier === 'all';
    expectedParts.push(
      say(
        locale,
        every ? `every pod for ${selector} ${what}` : `at least one pod for ${selector} ${what}`,
        every ? `${selector} 파드 모두 [${what}]` : `${selector} 파드 하나 이상 [${what}]`,
      ),
    );
    if (pods.length === 0) {
      if (problems.length === 0 && check.count !== 0)
        problems.push(
          say(locale, `Expected pods for ${selector}, found none.`, `${selector} 파드가 하나도 없습니다.`),
        );
    } else if (every) {
      // Pods that are not ready say the most about what went wrong: list them first.
      failing = pods.filter((p) => !meets(p)).sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)));
      if (failing.length > 0) {
        const listed = listPods(failing);
        problems.push(
          say(
            locale,
            `Expected every pod for ${selector} to be ${what}; ${failing.length} of ${pods.length} ${failing.length === 1 ? 'is' : 'are'} not: ${listed}.`,
            `${selector} 파드는 모두 [${what}] 조건을 만족해야 하는데 ${pods.length}개 중 ${failing.length}개가 만족하지 않습니다: ${listed}.`,
          ),
        );
      }
    } else if (!pods.some(meets)) {
      failing = pods;
      const listed = listPods(pods);
      problems.push(
        say(
          locale,
          `Expected at least one pod for ${selector} to be ${what}; none of ${pods.length} is: ${listed}.`,
          `${selector} 파드 중 하나 이상이 [${what}] 조건을 만족해야 하는데 ${pods.length}개 모두 만족하지 않습니다: ${listed}.`,
        ),
      );
    }
  }
  const pullFailed = failing.some((p) => IMAGE_PULL_FAILURES.has(describePodStatus(p)));
  return {
    found: pods.length > 0,
    expected: expectedParts.join('; '),
    actual: say(
      locale,
      `${plural(pods.length, 'pod')}${pods.length ? `: ${listPods(pods)}` : ''}`,
      `파드 ${pods.length}개${pods.length ? `: ${listPods(pods)}` : ''}`,
    ),
    problems,
    diagnosis: pullFailed
      ? say(
          locale,
          'The image could not be pulled: check the image name and tag.',
          '이미지를 받아 오지 못했습니다. 이미지 이름과 태그를 확인하세요.',
        )
      : undefined,
  };
}

// ---------------------------------------------------------------- Service, ConfigMap

function formatSelector(selector: Record<string, string> | undefined): string {
  const entries = Object.entries(selector ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

function countReadyAddresses(endpoints: KubeObject | undefined): number {
  const subsets: { addresses?: unknown[] }[] =
    (endpoints?.subsets as { addresses?: unknown[] }[] | undefined) ?? [];
  return subsets.reduce((sum, s) => sum + (s.addresses?.length ?? 0), 0);
}

function evaluateService(
  check: Extract<Check, { kind: 'service' }>,
  snapshot: NamespaceSnapshot,
  locale: Locale,
): Finding {
  const subject = say(locale, `Service ${check.name}`, `${check.name} 서비스`);
  const service = findByName(snapshot.services, check.name);
  const fields: FieldComparison[] = [];
  if (check.selector !== undefined) {
    const expected = formatSelector(check.selector);
    const actual = formatSelector(service?.spec?.selector);
    fields.push({ label: say(locale, 'selector', '셀렉터'), expected, actual, equal: expected === actual });
  }
  fields.push(
    ...compareNumber(
      say(locale, 'ready endpoints', '준비된 엔드포인트 수'),
      check.readyEndpoints,
      countReadyAddresses(findByName(snapshot.endpoints, check.name)),
    ),
  );
  if (service === undefined)
    return missingObject(locale, subject, fields.map((f) => `${f.label} ${f.expected}`).join(', '));
  return judgeFields(locale, subject, fields);
}

function evaluateConfigMap(
  check: Extract<Check, { kind: 'configMap' }>,
  snapshot: NamespaceSnapshot,
  locale: Locale,
): Finding {
  const subject = say(locale, `ConfigMap ${check.name}`, `${check.name} 컨피그맵`);
  const configMap = findByName(snapshot.configMaps, check.name);
  const data = (configMap?.data as Record<string, string> | undefined) ?? {};
  const fields = Object.entries(check.data ?? {}).map(([key, wanted]): FieldComparison => {
    const actual = data[key];
    return {
      label: say(locale, `key ${key}`, `${key} 키`),
      expected: JSON.stringify(wanted),
      actual: actual === undefined ? say(locale, 'missing', '없음') : JSON.stringify(actual),
      equal: actual === wanted,
    };
  });
  if (configMap === undefined)
    return missingObject(locale, subject, fields.map((f) => `${f.label} ${f.expected}`).join(', '));
  return judgeFields(locale, subject, fields);
}

// ---------------------------------------------------------------- StatefulSet, DaemonSet

function findLatestControllerRevision(owner: KubeObject, snapshot: NamespaceSnapshot): number {
  return snapshot.controllerRevisions
    .filter((cr) => isControlledBy(cr, owner))
    .reduce((max, cr) => Math.max(max, typeof cr.revision === 'number' ? cr.revision : 0), 0);
}

function evaluateStatefulSet(
  check: Extract<Check, { kind: 'statefulSet' }>,
  snapshot: NamespaceSnapshot,
  locale: Locale,
): Finding {
  const subject = say(locale, `StatefulSet ${check.name}`, `${check.name} 스테이트풀셋`);
  const sts = findByName(snapshot.statefulSets, check.name);
  const status = sts?.status ?? {};
  const fields: FieldComparison[] = [
    ...compareNumber(
      say(locale, 'updated replicas', '업데이트된 레플리카'),
      check.updated,
      status.updatedReplicas ?? 0,
    ),
    ...compareNumber(say(locale, 'ready replicas', 'READY 레플리카'), check.ready, status.readyReplicas ?? 0),
  ];
  if (check.revisionsMatch !== undefined) {
    const current: string = status.currentRevision ?? '?';
    const update: string = status.updateRevision ?? '?';
    const match = status.currentRevision !== undefined && current === update;
    fields.push({
      label: say(locale, 'current/update revision', '현재/업데이트 리비전'),
      expected: check.revisionsMatch ? say(locale, 'equal', '같음') : say(locale, 'different', '다름'),
      actual: `${current} / ${update}`,
      equal: match === check.revisionsMatch,
    });
  }
  if (check.latestRevision !== undefined && sts !== undefined)
    fields.push(
      ...compareNumber(
        say(locale, 'latest revision', '최신 리비전'),
        check.latestRevision,
        findLatestControllerRevision(sts, snapshot),
      ),
    );
  for (const [ordinal, wanted] of Object.entries(check.podImages ?? {})) {
    const podName = `${check.name}-${ordinal}`;
    const pod = findByName(snapshot.pods, podName);
    const actual = pod === undefined ? say(locale, 'no pod', '파드 없음') : (readFirstImage(pod.spec) ?? '?');
    fields.push({
      label: say(locale, `image of pod ${podName}`, `${podName} 파드 이미지`),
      expected: wanted,
      actual,
      equal: actual === wanted,
    });
  }
  if (sts === undefined)
    return missingObject(locale, subject, fields.map((f) => `${f.label} ${f.expected}`).join(', '));
  return judgeFields(locale, subject, fields);
}

function evaluateDaemonSet(
  check: Extract<Check, { kind: 'daemonSet' }>,
  snapshot: NamespaceSnapshot,
  locale: Locale,
): Finding {
  const subject = say(locale, `DaemonSet ${check.name}`, `${check.name} 데몬셋`);
  const ds = findByName(snapshot.daemonSets, check.name);
  const status = ds?.status ?? {};
  const fields: FieldComparison[] = [
    ...compareNumber(
      say(locale, 'updated pods', '업데이트된 파드'),
      check.updated,
      status.updatedNumberScheduled ?? 0,
    ),
    ...compareNumber(say(locale, 'ready pods', 'READY 파드'), check.ready, status.numberReady ?? 0),
  ];
  if (check.latestRevision !== undefined && ds !== undefined)
    fields.push(
      ...compareNumber(
        say(locale, 'latest revision', '최신 리비전'),
        check.latestRevision,
        findLatestControllerRevision(ds, snapshot),
      ),
    );
  if (check.image !== undefined && ds !== undefined) {
    const pods = snapshot.pods.filter((p) => isLive(p) && isControlledBy(p, ds));
    const images = [...new Set(pods.map((p) => readFirstImage(p.spec) ?? '?'))].sort();
    fields.push({
      label: say(locale, 'image of every pod', '모든 파드의 이미지'),
      expected: check.image,
      actual: images.length === 0 ? say(locale, 'no pods', '파드 없음') : images.join(', '),
      equal: images.length === 1 && images[0] === check.image,
    });
  }
  if (ds === undefined)
    return missingObject(locale, subject, fields.map((f) => `${f.label} ${f.expected}`).join(', '));
  return judgeFields(locale, subject, fields);
}

// ---------------------------------------------------------------- absent

const RESOURCE_WORDS: Record<
  AbsentResource,
  { en: string; one: string; ko: string; list: keyof NamespaceSnapshot }
> = {
  Deployment: { en: 'Deployments', one: 'Deployment', ko: '디플로이먼트', list: 'deployments' },
  ReplicaSet: { en: 'ReplicaSets', one: 'ReplicaSet', ko: '레플리카셋', list: 'replicaSets' },
  Pod: { en: 'pods', one: 'pod', ko: '파드', list: 'pods' },
  Service: { en: 'Services', one: 'Service', ko: '서비스', list: 'services' },
  ConfigMap: { en: 'ConfigMaps', one: 'ConfigMap', ko: '컨피그맵', list: 'configMaps' },
  StatefulSet: { en: 'StatefulSets', one: 'StatefulSet', ko: '스테이트풀셋', list: 'statefulSets' },
  DaemonSet: { en: 'DaemonSets', one: 'DaemonSet', ko: '데몬셋', list: 'daemonSets' },
};

function evaluateAbsent(
  check: Extract<Check, { kind: 'absent' }>,
  snapshot: NamespaceSnapshot,
  locale: Locale,
): Finding {
  const words = RESOURCE_WORDS[check.resource];
  const objects = snapshot[words.list];
  const remaining =
    check.name !== undefined
      ? objects.filter((o) => isLive(o) && o.metadata.name === check.name)
      : selectByLabels(objects, check.selector ?? '');
  const by = check.name !== undefined ? check.name : (check.selector ?? '');
  const subject = say(
    locale,
    check.name !== undefined ? `${words.en} named ${by}` : `${words.en} for ${by}`,
    `${by} ${words.ko}`,
  );
  const names = remaining.map((o) => o.metadata.name).join(', ');
  return {
    found: remaining.length > 0,
    expected: say(locale, `no ${subject}`, `${subject} 없음`),
    actual: say(
      locale,
      `${remaining.length}${names ? `: ${names}` : ''}`,
      `${remaining.length}개${names ? `: ${names}` : ''}`,
    ),
    problems:
      remaining.length === 0
        ? []
        : [
            say(
              locale,
              `Expected no ${subject}, found ${remaining.length}: ${names}.`,
              `${subject}: 모두 삭제되어야 하는데 ${remaining.length}개가 남아 있습니다: ${names}.`,
            ),
          ],
  };
}

// ---------------------------------------------------------------- events

function evaluateEvents(
  check: Extract<Check, { kind: 'events' }>,
  snapshot: NamespaceSnapshot,
  locale: Locale,
): Finding {
  const words = RESOURCE_WORDS[check.involvedKind];
  const { reason, objects: wanted } = check;
  const names = [
    ...new Set(
      snapshot.events
        .filter((e) => {
          const about = e.involvedObject as { kind?: string; name?: string } | undefined;
          return e.reason === reason && about?.kind === check.involvedKind && about.name !== undefined;
        })
        .map((e) => (e.involvedObject as { name: string }).name),
    ),
  ].sort();
  const found = names.length;
  const listed = names.join(', ');
  const kindWord = (n: number) => (n === 1 ? words.one : words.en);
  const problems: string[] = [];
  if (found === 0)
    problems.push(
      say(
        locale,
        `No ${reason} events of any ${words.one} in this namespace: nothing shows that a ${words.one} ran here.`,
        `이 네임스페이스에는 ${words.ko}의 ${reason} 이벤트가 하나도 없습니다. ${words.ko}${subjectParticle(words.ko)} 여기서 실행된 기록이 없습니다.`,
      ),
    );
  else if (found < wanted)
    problems.push(
      say(
        locale,
        `Expected ${reason} events of at least ${wanted} ${kindWord(wanted)}, found them for ${found}: ${listed}.`,
        `${words.ko} ${wanted}개 이상에 ${reason} 이벤트가 있어야 하는데 ${found}개뿐입니다: ${listed}.`,
      ),
    );
  return {
    found: found > 0,
    expected: say(
      locale,
      `${reason} events of at least ${wanted} ${kindWord(wanted)}`,
      `${words.ko} ${wanted}개 이상의 ${reason} 이벤트`,
    ),
    actual: say(
      locale,
      found === 0 ? `no ${reason} events` : `${reason} events of ${found} ${kindWord(found)}: ${listed}`,
      found === 0 ? `${reason} 이벤트 없음` : `${reason} 이벤트가 있는 ${words.ko} ${found}개: ${listed}`,
    ),
    problems,
  };
}

// ---------------------------------------------------------------- entry points

function findDifferences(check: Check, snapshot: NamespaceSnapshot, locale: Locale): Finding {
  switch (check.kind) {
    case 'replicaSets':
      return evaluateReplicaSets(check, snapshot, locale);
    case 'rolloutHistory':
      return evaluateRolloutHistory(check, snapshot, locale);
    case 'deployment':
      return evaluateDeployment(check, snapshot, locale);
    case 'pods':
      return evaluatePods(check, snapshot, locale);
    case 'service':
      return evaluateService(check, snapshot, locale);
    case 'configMap':
      return evaluateConfigMap(check, snapshot, locale);
    case 'statefulSet':
      return evaluateStatefulSet(check, snapshot, locale);
    case 'daemonSet':
      return evaluateDaemonSet(check, snapshot, locale);
    case 'absent':
      return evaluateAbsent(check, snapshot, locale);
    case 'events':
      return evaluateEvents(check, snapshot, locale);
  }
}

function judgeCheck(
  input: CheckInput,
  snapshot: NamespaceSnapshot,
  locale: Locale,
): { finding: Finding; result: CheckResult } {
  const check = checkSchema.parse(input);
  const finding = findDifferences(check, snapshot, locale);
  const passed = finding.problems.length === 0;
  const advice = passed ? undefined : (check.hint?.[locale] ?? finding.advice);
  const message = passed
    ? say(locale, `As expected: ${finding.expected}.`, `확인됨: ${finding.expected}.`)
    : [...finding.problems, finding.diagnosis, advice].filter((part) => part !== undefined).join(' ');
  return { finding, result: { passed, expected: finding.expected, actual: finding.actual, message } };
}

/**
 * Judges one check against a namespace's objects. The check is validated (and its defaults filled)
 * with `checkSchema`, so a malformed check throws a ZodError naming the bad field.
 */
export function evaluateCheck(check: CheckInput, snapshot: NamespaceSnapshot, locale: Locale): CheckResult {
  return judgeCheck(check, snapshot, locale).result;
}

/**
 * Judges all of a step's checks: `passed` when every check passes; `pending` when none of them
 * found anything to look at yet (a step whose objects do not exist has not been started);
 * otherwise `failed`. An `absent` check counts as having found something only while objects remain.
 */
export function evaluateStep(
  checks: readonly CheckInput[],
  snapshot: NamespaceSnapshot,
  locale: Locale,
): StepResult {
  const judged = checks.map((c) => judgeCheck(c, snapshot, locale));
  const results = judged.map((j) => j.result);
  if (results.every((r) => r.passed)) return { status: 'passed', results };
  if (judged.every((j) => !j.finding.found)) return { status: 'pending', results };
  return { status: 'failed', results };
}

/** A snapshot of an empty namespace, handy as a starting point for callers and tests. */
export function createEmptySnapshot(): NamespaceSnapshot {
  return {
    deployments: [],
    replicaSets: [],
    pods: [],
    services: [],
    endpoints: [],
    configMaps: [],
    statefulSets: [],
    daemonSets: [],
    controllerRevisions: [],
    events: [],
  };
}
