/**
 * The DOM events that tie the page's pieces together without importing each other: a `<Run>`
 * block asks for a command to be typed, whatever terminal is on the page answers. Keeping this
 * the only contract lets the terminal load lazily and lets tests listen for the event alone.
 */

/** Name of the event a `<Run>` block dispatches (bubbling, composed, cancelable). */
export const RUN_COMMAND_EVENT = 'rollout-lab:run-command';

/** What a `<Run>` block asks for. */
export interface RunCommandDetail {
  /** The command line exactly as the lesson shows it, without a trailing newline. */
  command: string;
  /** True to press Enter after typing it; false leaves it on the prompt for the learner to edit. */
  execute: boolean;
}

/**
 * Set by the terminal that takes the command (it calls `preventDefault()` on the event and
 * answers here), so the `<Run>` block can tell the learner what happened.
 */
export type RunCommandOutcome = 'sent' | 'queued';

/** The event as the terminal receives it. */
export type RunCommandEvent = CustomEvent<RunCommandDetail & { outcome?: RunCommandOutcome }>;

/**
 * Dispatches a run request from `source` and says who took it: `undefined` when no terminal did
 * (the page has none, or its script has not started).
 */
export function dispatchRunCommand(
  source: EventTarget,
  detail: RunCommandDetail,
): RunCommandOutcome | undefined {
  const event: RunCommandEvent = new CustomEvent(RUN_COMMAND_EVENT, {
    detail: { ...detail },
    bubbles: true,
    composed: true,
    cancelable: true,
  });
  const untaken = source.dispatchEvent(event);
  return untaken ? undefined : (event.detail.outcome ?? 'sent');
}

/** Name of the event the page's settings (theme, projector mode) dispatch on `document` after a change. */
export const SETTINGS_CHANGED_EVENT = 'rollout-lab:settings-changed';
