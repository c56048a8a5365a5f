/**
 * What one render may spend: loop iterations and string calls, and characters of output (each loop
 * body's and string's output counted as it is made, so nested loops count a character once per level).
 * Generous for any real email (a 100-item cart uses a few hundred iterations and well under a tenth of
 * the output) and small enough that a render bomb ends in milliseconds: four nested loops over a
 * 100-item cart, or strings that include each other twice, grow as 100^4 or 2^N. Templates have no
 * other way to repeat work (partials are refused at publish), so counting in `#each` and `{{t}}` stops
 * every render that would loop for ever or grow without bound.
 */
export const RENDER_BUDGET = { iterations: 10_000, outputChars: 2_000_000 } as const;

/** A render ran out of its budget: the template, not the data, is at fault; a send skips it (`render-budget`). */
export class RenderBudgetError extends Error {
  override name = 'RenderBudgetError';
  constructor(readonly exceeded: 'iterations' | 'output') {
    super(
      exceeded === 'iterations'
        ? `the render went over its budget of ${RENDER_BUDGET.iterations.toLocaleString('en')} loop iterations and string calls`
        : `the render went over its budget of ${RENDER_BUDGET.outputChars.toLocaleString('en')} characters of output`,
    );
  }
}

/** What is left of one render's budget, shared by everything it renders (subject, HTML, text, strings). */
export class RenderBudget {
  iterations: number = RENDER_BUDGET.iterations;
  outputChars: number = RENDER_BUDGET.outputChars;
}

/** Spends one iteration and `chars` of output from a render's budget. */
export function spend(budget: RenderBudget, chars: number): void {
  if (--budget.iterations < 0) throw new RenderBudgetError('iterations');
  if ((budget.outputChars -= chars) < 0) throw new RenderBudgetError('output');
}
