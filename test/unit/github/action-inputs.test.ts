/** The Action's inputs: cost-label is opt-in and only true or false. */
import { describe, expect, it } from 'vitest';
import { parseInputs } from '../../../reconciler/src/github/action-env.js';
import { UsageError } from '../../../reconciler/src/errors.js';

const raw = { mode: 'auto', path: 'lab', comment: 'update' };

describe('parseInputs: cost-label', () => {
  it.each([
    { costLabel: undefined, expected: false },
    { costLabel: '', expected: false },
    { costLabel: 'false', expected: false },
    { costLabel: 'true', expected: true },
  ])('cost-label $costLabel → $expected', ({ costLabel, expected }) => {
    expect(parseInputs({ ...raw, ...(costLabel === undefined ? {} : { costLabel }) }).costLabel).toBe(expected);
  });

  it.each(['yes', 'TRUE', '1', 'true\n'])('refuses cost-label %j in one line', (costLabel) => {
    expect(() => parseInputs({ ...raw, costLabel })).toThrow(UsageError);
    expect(() => parseInputs({ ...raw, costLabel })).toThrow(/^input cost-label must be true or false \(got ".*"\)$/);
  });
});
