/**
 * Every piece of interface text, in both languages. The Korean table is the source of the keys;
 * the English one must have the same keys (the type says so). Lesson prose is not here: it lives
 * in the MDX files.
 */

import { formatMessage } from './format.ts';
import type { Locale } from './locales.ts';

const ko = {
  'site.name': 'Rollout Lab',
  'site.tagline': '쿠버네티스 롤아웃과 롤백 실습',
  'site.footer': '실습은 브라우저 안의 터미널에서 실제 kubectl로 진행합니다.',
  'site.fontCredit': '글꼴: Pretendard, 나눔고딕코딩 (SIL Open Font License 1.1)',
  'skip.content': '본문으로 건너뛰기',
  'skip.terminal': '터미널로 건너뛰기',
  'nav.language': '언어',
  'nav.display': '화면 설정',
  'nav.home': '처음으로',
  'theme.dark': '어두운 테마',
  'projector.label': '큰 글씨',
  'projector.description': '프로젝터와 발표용으로 글자와 터미널을 크게 표시합니다',
  'chapter.label': '9장',
  'chapter.title': '롤아웃과 롤백을 이용한 애플리케이션 릴리스 관리',
  'nav.lessons': '9장의 레슨',
  'nav.steps': '이 레슨의 단계',
  'nav.pager': '레슨 이동',
  'lesson.minutes': '약 {n}분',
  'lesson.steps': '{n}단계',
  'lesson.exercises': '실습 {list}',
  'lesson.previous': '이전 레슨',
  'lesson.next': '다음 레슨',
  'lesson.overview': '레슨 목록',
  'lesson.folder': '모든 명령은 실습 폴더 ch09에서 실행합니다. 터미널은 처음부터 그 폴더에 있습니다.',
  'step.exercise': '실습 {n}',
  'step.status': '상태',
  'step.status.pending': '진행 전',
  'step.status.passed': '완료',
  'step.status.failed': '아직 다름',
  'step.checkNow': '지금 확인',
  'run.run': '실행',
  'run.runLabel': '터미널에서 실행: {command}',
  'run.copy': '복사',
  'run.copyLabel': '명령 복사: {command}',
  'run.sent': '터미널에 입력했습니다',
  'run.queued': '터미널이 연결되면 입력합니다',
  'run.copied': '복사했습니다',
  'run.noTerminal': '터미널이 없어 클립보드에 복사했습니다',
  'run.copyFailed': '복사하지 못했습니다. 명령을 직접 선택해 복사하세요',
  'hint.summary': '힌트',
  'solution.summary': '풀이 보기',
  'workspace.label': '작업 공간',
  'workspace.panels': '작업 도구',
  'workspace.tab.live': '실시간 보기',
  'workspace.tab.editor': '편집기',
  'workspace.collapse': '도구 접기',
  'workspace.expand': '도구 펼치기',
  'terminal.title': '터미널',
  'terminal.state.idle': '준비 중',
  'terminal.state.loading': '터미널을 불러오는 중',
  'terminal.state.connecting': '샌드박스에 연결하는 중',
  'terminal.state.connected': '연결됨',
  'terminal.state.reconnecting': '연결이 끊겼습니다. {s}초 후 다시 연결합니다',
  'terminal.state.offline': '샌드박스 서버에 연결할 수 없습니다. {s}초 후 다시 시도합니다',
  'terminal.state.failed': '샌드박스를 열 수 없습니다: {message}',
  'terminal.newSession': '새 샌드박스를 열었습니다 (네임스페이스 {namespace})',
  'terminal.resetDone': '샌드박스를 처음 상태로 되돌렸습니다',
  'terminal.copy': '복사',
  'terminal.copyLabel': '터미널에서 선택한 글자 복사',
  'terminal.paste': '붙여넣기',
  'terminal.pasteLabel': '클립보드 내용을 터미널에 붙여넣기',
  'terminal.screenReader': '스크린 리더 모드',
  'terminal.reconnect': '다시 연결',
  'terminal.reset': '초기화',
  'terminal.resetLabel': '샌드박스 초기화',
  'terminal.resetConfirm': '샌드박스의 오브젝트를 모두 지우고 실습 파일을 처음 상태로 되돌릴까요?',
  'terminal.kubeconfig': 'kubeconfig',
  'terminal.kubeconfigLabel': '이 샌드박스의 kubeconfig 내려받기',
  'terminal.keys':
    '터미널에서 나가려면 Esc를 누른 뒤 Tab을 누르세요. 복사 Ctrl+Shift+C, 붙여넣기 Ctrl+Shift+V.',
  'terminal.noscript':
    '터미널을 쓰려면 JavaScript가 필요합니다. 명령은 kubectl이 있는 다른 터미널에서도 실행할 수 있습니다.',
  'terminal.clipboardDenied': '브라우저가 클립보드 접근을 허락하지 않았습니다',
  'home.title': 'Rollout Lab: 쿠버네티스 롤아웃과 롤백',
  'home.lead':
    '애플리케이션을 새로 배치하는 일보다 이미 돌아가는 애플리케이션을 업데이트하는 일이 훨씬 많다. 이 과정에서는 디플로이먼트, 데몬셋, 스테이트풀셋의 롤아웃과 롤백을 직접 해 보며 익힌다.',
  'home.point.terminal':
    '브라우저 안의 터미널에서 실제 kubectl을 샌드박스 클러스터에 실행한다. 설치할 것이 없다.',
  'home.point.steps': '레플리카셋이 늘고 줄어드는 모습, 쌓이는 리비전, 멈춰 버린 릴리스를 눈으로 확인한다.',
  'home.point.source': '《Kubernetes in a Month of Lunches》 9장의 실습 16개를 5개의 레슨으로 나누었다.',
  'home.start': '한국어로 시작하기',
  'overview.title': '9장: 롤아웃과 롤백을 이용한 애플리케이션 릴리스 관리',
  'overview.lead':
    '레슨마다 짧은 설명을 읽고, 명령을 터미널에서 실행하고, 클러스터가 어떻게 바뀌는지 관찰한다. 단계는 클러스터의 실제 상태(레플리카셋 수, 롤아웃 히스토리)로 확인한다.',
  'overview.lessons': '레슨',
  'overview.start': '첫 레슨 시작하기',
  'overview.total': '레슨 {lessons}개, 모두 {steps}단계, 약 {minutes}분',
  'notFound.title': '페이지를 찾을 수 없습니다',
  'notFound.back': '레슨 목록으로',
};

/** A key of the interface text. */
export type UiKey = keyof typeof ko;

const en: Record<UiKey, string> = {
  'site.name': 'Rollout Lab',
  'site.tagline': 'Kubernetes rollouts and rollbacks, hands-on',
  'site.footer': 'You do the exercises with the real kubectl, in the terminal inside your browser.',
  'site.fontCredit': 'Typefaces: Pretendard, Nanum Gothic Coding (SIL Open Font License 1.1)',
  'skip.content': 'Skip to the lesson',
  'skip.terminal': 'Skip to the terminal',
  'nav.language': 'Language',
  'nav.display': 'Display settings',
  'nav.home': 'Home',
  'theme.dark': 'Dark theme',
  'projector.label': 'Large text',
  'projector.description': 'Shows text and the terminal large, for a projector or a talk',
  'chapter.label': 'Chapter 9',
  'chapter.title': 'Managing app releases with rollouts and rollbacks',
  'nav.lessons': 'Lessons of chapter 9',
  'nav.steps': 'Steps in this lesson',
  'nav.pager': 'Lesson navigation',
  'lesson.minutes': 'about {n} min',
  'lesson.steps': '{n} steps',
  'lesson.exercises': 'Exercises {list}',
  'lesson.previous': 'Previous lesson',
  'lesson.next': 'Next lesson',
  'lesson.overview': 'All lessons',
  'lesson.folder': 'Run every command from the exercise folder ch09. The terminal starts in that folder.',
  'step.exercise': 'Exercise {n}',
  'step.status': 'Status',
  'step.status.pending': 'Not done yet',
  'step.status.passed': 'Done',
  'step.status.failed': 'Not there yet',
  'step.checkNow': 'Check now',
  'run.run': 'Run',
  'run.runLabel': 'Run in the terminal: {command}',
  'run.copy': 'Copy',
  'run.copyLabel': 'Copy the command: {command}',
  'run.sent': 'Typed into the terminal',
  'run.queued': 'Will be typed when the terminal connects',
  'run.copied': 'Copied',
  'run.noTerminal': 'No terminal on this page: copied to the clipboard',
  'run.copyFailed': 'Could not copy: select the command and copy it by hand',
  'hint.summary': 'Hint',
  'solution.summary': 'Show the solution',
  'workspace.label': 'Workspace',
  'workspace.panels': 'Workspace tools',
  'workspace.tab.live': 'Live view',
  'workspace.tab.editor': 'Editor',
  'workspace.collapse': 'Hide tools',
  'workspace.expand': 'Show tools',
  'terminal.title': 'Terminal',
  'terminal.state.idle': 'Getting ready',
  'terminal.state.loading': 'Loading the terminal',
  'terminal.state.connecting': 'Connecting to your sandbox',
  'terminal.state.connected': 'Connected',
  'terminal.state.reconnecting': 'Disconnected. Reconnecting in {s} s',
  'terminal.state.offline': 'Cannot reach the sandbox server. Trying again in {s} s',
  'terminal.state.failed': 'Cannot open a sandbox: {message}',
  'terminal.newSession': 'Opened a new sandbox (namespace {namespace})',
  'terminal.resetDone': 'Your sandbox is back to its first state',
  'terminal.copy': 'Copy',
  'terminal.copyLabel': 'Copy the text selected in the terminal',
  'terminal.paste': 'Paste',
  'terminal.pasteLabel': 'Paste the clipboard into the terminal',
  'terminal.screenReader': 'Screen reader mode',
  'terminal.reconnect': 'Reconnect',
  'terminal.reset': 'Reset',
  'terminal.resetLabel': 'Reset the sandbox',
  'terminal.resetConfirm':
    'Delete every object in your sandbox and put the exercise files back as they were?',
  'terminal.kubeconfig': 'kubeconfig',
  'terminal.kubeconfigLabel': 'Download the kubeconfig of this sandbox',
  'terminal.keys': 'To leave the terminal, press Esc, then Tab. Copy: Ctrl+Shift+C. Paste: Ctrl+Shift+V.',
  'terminal.noscript':
    'The terminal needs JavaScript. You can also run the commands in another terminal that has kubectl.',
  'terminal.clipboardDenied': 'The browser did not allow access to the clipboard',
  'home.title': 'Rollout Lab: Kubernetes rollouts and rollbacks',
  'home.lead':
    'You update running applications far more often than you deploy new ones. In this course you learn rollouts and rollbacks of Deployments, DaemonSets and StatefulSets by doing them.',
  'home.point.terminal':
    'Run the real kubectl against a sandbox cluster, in a terminal inside your browser. Nothing to install.',
  'home.point.steps': 'Watch ReplicaSets grow and shrink, revisions pile up, and a broken release stall.',
  'home.point.source': 'The 16 exercises of chapter 9 of Kubernetes in a Month of Lunches, in five lessons.',
  'home.start': 'Start in English',
  'overview.title': 'Chapter 9: Managing app releases with rollouts and rollbacks',
  'overview.lead':
    'In each lesson you read a short explanation, run the commands in the terminal and watch the cluster change. Steps are checked against the real state of the cluster: ReplicaSet counts and rollout history.',
  'overview.lessons': 'Lessons',
  'overview.start': 'Start the first lesson',
  'overview.total': '{lessons} lessons, {steps} steps in all, about {minutes} minutes',
  'notFound.title': 'Page not found',
  'notFound.back': 'Back to the lessons',
};

const TABLES: Readonly<Record<Locale, Record<UiKey, string>>> = { ko, en };

/**
 * The interface text for `key` in `locale`, with `{name}` placeholders filled from `values`:
 * `translate('ko', 'lesson.steps', { n: 3 })` is `3단계`.
 */
export function translate(locale: Locale, key: UiKey, values: Record<string, string | number> = {}): string {
  return formatMessage(TABLES[locale][key], values);
}

/** The keys the browser scripts need, sent once per page as JSON (see `readUiText`). */
export const CLIENT_KEYS = [
  'run.sent',
  'run.queued',
  'run.copied',
  'run.noTerminal',
  'run.copyFailed',
  'terminal.state.idle',
  'terminal.state.loading',
  'terminal.state.connecting',
  'terminal.state.connected',
  'terminal.state.reconnecting',
  'terminal.state.offline',
  'terminal.state.failed',
  'terminal.newSession',
  'terminal.resetDone',
  'terminal.resetConfirm',
  'terminal.clipboardDenied',
] as const satisfies readonly UiKey[];

/** A key the browser scripts use. */
export type ClientUiKey = (typeof CLIENT_KEYS)[number];

/** The browser's share of the interface text for one language. */
export function pickClientText(locale: Locale): Record<ClientUiKey, string> {
  return Object.fromEntries(CLIENT_KEYS.map((k) => [k, TABLES[locale][k]])) as Record<ClientUiKey, string>;
}
