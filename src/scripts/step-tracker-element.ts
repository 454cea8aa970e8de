/**
 * `<rl-step-tracker>` around the lesson's step list (`<a data-step-link="ID">` per step): mirrors
 * each step's `data-status` on its link, so the progress markers follow whatever sets the status
 * (the checks, pushed from the server), and marks the step being read with `aria-current="step"`,
 * which the language switch uses to keep the learner's place.
 */

/** The step nearest the top of the viewport among those visible, else the last one scrolled past. */
function pickCurrentStep(steps: readonly HTMLElement[]): HTMLElement | undefined {
  let current: HTMLElement | undefined;
  for (const step of steps) {
    // A step counts as reached once its heading is in the upper third of the viewport.
    if (step.getBoundingClientRect().top <= window.innerHeight / 3) current = step;
  }
  return current ?? steps[0];
}

/**
 * The step named by the URL hash while it is on screen (the last step of a page may never reach
 * the top), otherwise the step found by position.
 */
function pickCurrentId(steps: readonly HTMLElement[]): string | undefined {
  const hashed = location.hash ? steps.find((s) => `#${s.id}` === location.hash) : undefined;
  if (hashed) {
    const box = hashed.getBoundingClientRect();
    if (box.bottom > 0 && box.top < window.innerHeight) return hashed.dataset.stepId;
  }
  return pickCurrentStep(steps)?.dataset.stepId;
}

class StepTrackerElement extends HTMLElement {
  #observer: MutationObserver | undefined;
  #frame = 0;
  #abort: AbortController | undefined;

  connectedCallback(): void {
    const steps = [...document.querySelectorAll<HTMLElement>('[data-step-id]')];
    const links = new Map<string, HTMLElement>();
    for (const link of this.querySelectorAll<HTMLElement>('[data-step-link]')) {
      links.set(link.dataset.stepLink!, link);
    }
    const syncStatus = (step: HTMLElement) => {
      const link = links.get(step.dataset.stepId!);
      if (link) link.dataset.status = step.dataset.status ?? 'pending';
    };
    steps.forEach(syncStatus);
    this.#observer = new MutationObserver((records) => {
      for (const record of records) syncStatus(record.target as HTMLElement);
    });
    for (const step of steps)
      this.#observer.observe(step, { attributes: true, attributeFilter: ['data-status'] });

    const markCurrent = () => {
      this.#frame = 0;
      const id = pickCurrentId(steps);
      for (const [stepId, link] of links) {
        if (stepId === id) link.setAttribute('aria-current', 'step');
        else link.removeAttribute('aria-current');
      }
    };
    const schedule = () => {
      if (this.#frame === 0) this.#frame = requestAnimationFrame(markCurrent);
    };
    this.#abort = new AbortController();
    const { signal } = this.#abort;
    addEventListener('hashchange', schedule, { signal });
    addEventListener('scroll', schedule, { passive: true, signal });
    addEventListener('resize', schedule, { passive: true, signal });
    markCurrent();
  }

  disconnectedCallback(): void {
    this.#observer?.disconnect();
    this.#abort?.abort();
    if (this.#frame !== 0) cancelAnimationFrame(this.#frame);
  }
}

if (!customElements.get('rl-step-tracker')) customElements.define('rl-step-tracker', StepTrackerElement);
