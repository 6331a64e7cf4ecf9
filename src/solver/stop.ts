/**
 * Stopping criteria of the genetic search (PyVRP's `stop/`): an iteration budget, which makes a
 * run reproducible, and a deadline function owned by the caller (the core has no clock).
 */
import type { SolveOptions } from './model.ts';

export interface StoppingCriterion {
  /** Whether to stop after `iterations` iterations. */
  done(iterations: number): boolean;
}

export class MaxIterations implements StoppingCriterion {
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  done(iterations: number): boolean {
    return iterations >= this.#max;
  }
}

export class Deadline implements StoppingCriterion {
  readonly #passed: () => boolean;

  constructor(passed: () => boolean) {
    this.#passed = passed;
  }

  done(): boolean {
    return this.#passed();
  }
}

/** Stops as soon as any criterion does. */
export class AnyOf implements StoppingCriterion {
  readonly #criteria: readonly StoppingCriterion[];

  constructor(criteria: readonly StoppingCriterion[]) {
    this.#criteria = criteria;
  }

  done(iterations: number): boolean {
    for (const c of this.#criteria) if (c.done(iterations)) return true;
    return false;
  }
}

/** The options' iteration budget and deadline, whichever comes first (neither: never stops). */
export function stopFromOptions(options: Pick<SolveOptions, 'maxIterations' | 'deadline'>): StoppingCriterion {
  const criteria: StoppingCriterion[] = [];
  if (options.maxIterations !== undefined) criteria.push(new MaxIterations(options.maxIterations));
  if (options.deadline !== undefined) criteria.push(new Deadline(options.deadline));
  return new AnyOf(criteria);
}
