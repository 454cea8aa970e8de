/**
 * Three deliberate mistakes made for real, through the learner's shell on the embedded backend,
 * and what the step's checks then say (the first failed check's message is what the page shows
 * under the step), in both languages:
 *
 * 1. exercise 2 with the scale file instead of an image change: one ReplicaSet, no rollout;
 * 2. exercise 2 with a typo in the tag: the new pod cannot pull its image;
 * 3. exercise 4 without --record: revision 4 has no change-cause; following the advice fixes it.
 *
 * The exact wording is pinned in tests/unit/checks/ch09-checks.test.ts; this test shows the real
 * cluster produces the states those messages describe. The messages are printed for the record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale, StepResult } from '../../sandbox/checks/evaluate.ts';
import { type LessonLab, type LessonSession, startLessonLab } from './lesson-lab.ts';

const LOCALES: readonly Locale[] = ['en', 'ko'];

/** What the page shows under a failed step. */
function shown(result: StepResult): string {
  return result.results.find((r) => !r.passed)?.message ?? '';
}

/** Generated names (`vweb-6bd7464487`, `vweb-6bd7464487-2xk8p`) as placeholders. */
function withoutHashes(text: string): string {
  return text.replace(/\bvweb-[a-z0-9]{8,10}(-[a-z0-9]{5})?\b/g, (_m, pod?: string) =>
    pod ? 'vweb-<hash>-<id>' : 'vweb-<hash>',
  );
}

const messages: string[] = [];

async function runAll(sandbox: LessonSession, commands: readonly string[]): Promise<void> {
  for (const command of commands) {
    const outcome = await sandbox.run(command);
    expect(outcome.status, `${command}\n${outcome.output}`).toBe(0);
    await sandbox.settle();
  }
}

async function judgeBoth(sandbox: LessonSession, stepId: string): Promise<Record<Locale, StepResult>> {
  const en = (await sandbox.judge([stepId], 'en'))[stepId]!;
  const ko = (await sandbox.judge([stepId], 'ko'))[stepId]!;
  for (const locale of LOCALES) messages.push(`  [${stepId}, ${locale}] ${shown(locale === 'en' ? en : ko)}`);
  return { en, ko };
}

describe('three deliberate mistakes on the embedded backend', () => {
  let lab: LessonLab;
  beforeAll(async () => {
    lab = await startLessonLab();
  });
  afterAll(async () => {
    await lab?.stop();
    if (messages.length > 0) console.log(['what the failed checks said:', ...messages].join('\n'));
  });

  it('exercise 2: the scale file instead of an image change, then a typo in the tag', async () => {
    const sandbox = await lab.newSession();
    try {
      await runAll(sandbox, ['kubectl apply -f vweb/', 'kubectl apply -f vweb/update/vweb-v1-scale.yaml']);
      const scaled = await judgeBoth(sandbox, 'set-image-rollout');
      expect(scaled.en.status).toBe('failed');
      expect(withoutHashes(shown(scaled.en))).toBe(
        'Expected 2 ReplicaSets for app=vweb, found 1: vweb-<hash> (3 desired, 3 ready). Did the image change? A scale alone is not a rollout.',
      );
      expect(withoutHashes(shown(scaled.ko))).toBe(
        'app=vweb 레플리카셋이 2개 있어야 하는데 1개입니다: vweb-<hash> (DESIRED 3, READY 3). 이미지를 바꿨나요? 스케일링만으로는 롤아웃이 일어나지 않습니다.',
      );

      await runAll(sandbox, ['kubectl set image deployment/vweb web=kiamol/ch09-vweb:v22']);
      const typo = await judgeBoth(sandbox, 'set-image-rollout');
      expect(typo.en.status).toBe('failed');
      expect(withoutHashes(shown(typo.en))).toMatch(
        /^ReplicaSet vweb-<hash> \(newest\) has 1 desired and 0 ready, expected 3 desired and 3 ready\. ReplicaSet vweb-<hash> \(2nd newest\) has 3 desired and 3 ready, expected 0 desired and 0 ready\. Pod vweb-<hash>-<id> of the newest ReplicaSet shows (ErrImagePull|ImagePullBackOff): the image kiamol\/ch09-vweb:v22 could not be pulled\. Check the image name and tag\.$/,
      );
      expect(withoutHashes(shown(typo.ko))).toMatch(
        /가장 최신 레플리카셋의 파드 vweb-<hash>-<id>의 STATUS는 (ErrImagePull|ImagePullBackOff) 입니다\. kiamol\/ch09-vweb:v22 이미지를 받아 오지 못했습니다\. 이미지 이름과 태그를 확인하세요\.$/,
      );
    } finally {
      await sandbox.close();
    }
  });

  it('exercise 4 without --record: no change-cause; adding --record as the message says passes', async () => {
    const sandbox = await lab.newSession();
    try {
      await runAll(sandbox, [
        'kubectl apply -f vweb/',
        'kubectl apply -f vweb/update/vweb-v1-scale.yaml',
        'kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2',
        'kubectl apply -f vweb/update/vweb-v11.yaml',
        'kubectl apply -f vweb/update/vweb-v2.yaml',
      ]);
      const forgot = await judgeBoth(sandbox, 'record-change-cause');
      expect(forgot.en.status).toBe('failed');
      expect(shown(forgot.en)).toBe(
        'Revision 4 of deployment vweb has no change-cause (<none>); expected one containing "vweb-v2.yaml". Did you add --record? It saves the command line as the change-cause.',
      );
      expect(shown(forgot.ko)).toBe(
        'vweb 디플로이먼트의 리비전 4에 CHANGE-CAUSE가 없습니다(<none>). "vweb-v2.yaml" 문자열이 들어 있어야 합니다. 명령에 --record 를 붙였나요? --record 는 실행한 명령을 CHANGE-CAUSE로 남깁니다.',
      );
      // The same template again changes nothing but the annotation, which the controller copies
      // onto the current ReplicaSet: revision 4 gets its change-cause.
      await runAll(sandbox, ['kubectl apply -f vweb/update/vweb-v2.yaml --record']);
      const fixed = (await sandbox.judge(['record-change-cause'], 'en'))['record-change-cause']!;
      expect(fixed.status, shown(fixed)).toBe('passed');
    } finally {
      await sandbox.close();
    }
  });
});
