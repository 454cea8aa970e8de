/**
 * The chapter's declared checks (content/checks/ch09.ts): they parse, cover every lesson step, pass
 * nothing in an empty namespace, and say something a learner can act on for three deliberate
 * mistakes, in both languages. The page shows the first failed check's message under the step, so
 * that is the message asserted here. (tests/lessons/ runs the real commands; this is the wording.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ch09Checks } from '../../../content/checks/ch09.ts';
import {
  createEmptySnapshot,
  evaluateStep,
  type Locale,
  type NamespaceSnapshot,
  type StepResult,
} from '../../../sandbox/checks/evaluate.ts';
import { stepChecksSchema } from '../../../sandbox/checks/schema.ts';
import { afterApplyV2, afterCleanUp, afterScale, afterSetImageV2, afterTypoTag } from './scenarios.ts';

const LESSONS = path.resolve(import.meta.dirname, '../../../content/lessons');

/** Every `<Step id="...">` of the lessons in one language. */
function lessonStepIds(locale: 'ko' | 'en'): string[] {
  const dir = path.join(LESSONS, locale);
  const ids: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.mdx')))
    for (const match of readFileSync(path.join(dir, file), 'utf8').matchAll(/<Step id="([^"]+)"/g))
      ids.push(match[1]!);
  return ids;
}

function judge(stepId: string, snapshot: NamespaceSnapshot, locale: Locale): StepResult {
  const checks = ch09Checks[stepId];
  if (!checks) throw new Error(`no checks for ${stepId}`);
  return evaluateStep(checks, snapshot, locale);
}

/** What the page shows under a failed step: the first failed check's message. */
function shown(result: StepResult): string | undefined {
  return result.results.find((r) => !r.passed)?.message;
}

describe('chapter 9 checks', () => {
  it.each(Object.entries(ch09Checks))('%s parses with the schema', (_id, checks) => {
    expect(() => stepChecksSchema.parse(checks)).not.toThrow();
  });

  it.each(['ko', 'en'] as const)('covers every %s lesson step and nothing else', (locale) => {
    const ids = lessonStepIds(locale);
    expect(ids).toHaveLength(16);
    expect([...ids].sort()).toEqual(Object.keys(ch09Checks).sort());
  });

  it('leaves every step pending in an empty namespace, clean-up included', () => {
    for (const [id, checks] of Object.entries(ch09Checks)) {
      const { status } = evaluateStep(checks, createEmptySnapshot(), 'en');
      expect(status, id).toBe('pending');
    }
  });

  it('passes clean-up only once objects that ran here are gone', () => {
    expect(judge('clean-up', afterCleanUp(), 'en').status).toBe('passed');
    const left = judge('clean-up', afterSetImageV2(), 'en');
    expect(left.status).toBe('failed');
    expect(shown(left)).toBe(
      'Expected no Deployments for kiamol in (ch09, ch09-lab), found 1: vweb. Delete by label: kubectl delete all -l kiamol=ch09, then kubectl delete all -l kiamol=ch09-lab.',
    );
  });

  it('passes scaling only once the scale file is applied, and not after the next step', () => {
    expect(judge('scale-is-not-a-rollout', afterScale(), 'en').status).toBe('passed');
    expect(judge('set-image-rollout', afterScale(), 'en').status).not.toBe('passed');
    expect(judge('set-image-rollout', afterSetImageV2(), 'en').status).toBe('passed');
    expect(judge('scale-is-not-a-rollout', afterSetImageV2(), 'en').status).not.toBe('passed');
  });

  it('gives label-change-rollout advice about labels, not images', () => {
    const en = judge('label-change-rollout', afterSetImageV2(), 'en');
    const ko = judge('label-change-rollout', afterSetImageV2(), 'ko');
    expect(shown(en)).toBe(
      'Expected 3 ReplicaSets for app=vweb, found 2: vweb-7c675fdd96 (3 desired, 3 ready), vweb-6bd7464487 (0 desired, 0 ready). Apply vweb/update/vweb-v11.yaml: it changes the Pod template’s version label to v1.1 (and the image back to v1). A label change is a rollout too, so a third ReplicaSet appears, with revision 3.',
    );
    expect(shown(ko)).toBe(
      'app=vweb 레플리카셋이 3개 있어야 하는데 2개입니다: vweb-7c675fdd96 (DESIRED 3, READY 3), vweb-6bd7464487 (DESIRED 0, READY 0). vweb/update/vweb-v11.yaml을 적용하세요. 파드 템플릿의 version 레이블을 v1.1로(이미지는 v1로) 바꿉니다. 레이블만 바뀌어도 롤아웃이라서 세 번째 레플리카셋이 리비전 3으로 생깁니다.',
    );
  });

  it('never words a failure with the generic image advice outside the image step', () => {
    const generic = /Did the image change|이미지를 바꿨나요/;
    for (const [id, checks] of Object.entries(ch09Checks)) {
      if (id === 'set-image-rollout') continue;
      for (const check of checks)
        if (check.kind === 'replicaSets' && check.count !== undefined)
          expect(
            check.hint,
            `${id}: a ReplicaSet count without a step hint falls back to ${generic}`,
          ).toBeDefined();
    }
  });
});

describe('three deliberate learner mistakes, as the page shows them', () => {
  it('a typo in the image tag (kubectl set image … web=kiamol/ch09-vweb:v22): the pull failure is named', () => {
    const en = judge('set-image-rollout', afterTypoTag(), 'en');
    const ko = judge('set-image-rollout', afterTypoTag(), 'ko');
    expect(en.status).toBe('failed');
    expect(shown(en)).toBe(
      'ReplicaSet vweb-59f8d4c6b7 (newest) has 1 desired and 0 ready, expected 3 desired and 3 ready. ReplicaSet vweb-6bd7464487 (2nd newest) has 3 desired and 3 ready, expected 0 desired and 0 ready. Pod vweb-59f8d4c6b7-k2m9d of the newest ReplicaSet shows ErrImagePull: the image kiamol/ch09-vweb:v22 could not be pulled. Check the image name and tag.',
    );
    expect(shown(ko)).toBe(
      '가장 최신 레플리카셋 vweb-59f8d4c6b7: DESIRED 3, READY 3 이어야 하는데 지금은 DESIRED 1, READY 0 입니다. 최신에서 2번째 레플리카셋 vweb-6bd7464487: DESIRED 0, READY 0 이어야 하는데 지금은 DESIRED 3, READY 3 입니다. 가장 최신 레플리카셋의 파드 vweb-59f8d4c6b7-k2m9d의 STATUS는 ErrImagePull 입니다. kiamol/ch09-vweb:v22 이미지를 받아 오지 못했습니다. 이미지 이름과 태그를 확인하세요.',
    );
  });

  it('applying vweb-v1-scale.yaml instead of changing the image: one ReplicaSet, no rollout', () => {
    const en = judge('set-image-rollout', afterScale(), 'en');
    const ko = judge('set-image-rollout', afterScale(), 'ko');
    expect(en.status).toBe('failed');
    expect(shown(en)).toBe(
      'Expected 2 ReplicaSets for app=vweb, found 1: vweb-6bd7464487 (3 desired, 3 ready). Did the image change? A scale alone is not a rollout.',
    );
    expect(shown(ko)).toBe(
      'app=vweb 레플리카셋이 2개 있어야 하는데 1개입니다: vweb-6bd7464487 (DESIRED 3, READY 3). 이미지를 바꿨나요? 스케일링만으로는 롤아웃이 일어나지 않습니다.',
    );
  });

  it('forgetting --record: revision 4 has no change-cause', () => {
    const en = judge('record-change-cause', afterApplyV2(undefined), 'en');
    const ko = judge('record-change-cause', afterApplyV2(undefined), 'ko');
    expect(en.status).toBe('failed');
    expect(shown(en)).toBe(
      'Revision 4 of deployment vweb has no change-cause (<none>); expected one containing "vweb-v2.yaml". Did you add --record? It saves the command line as the change-cause.',
    );
    expect(shown(ko)).toBe(
      'vweb 디플로이먼트의 리비전 4에 CHANGE-CAUSE가 없습니다(<none>). "vweb-v2.yaml" 문자열이 들어 있어야 합니다. 명령에 --record 를 붙였나요? --record 는 실행한 명령을 CHANGE-CAUSE로 남깁니다.',
    );
    expect(
      judge(
        'record-change-cause',
        afterApplyV2('kubectl apply --filename=vweb/update/vweb-v2.yaml --record=true'),
        'en',
      ).status,
    ).toBe('passed');
  });
});
