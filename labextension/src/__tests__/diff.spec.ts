import { describe, expect, it } from 'vitest';

import { changedLines } from '../diff';
import { newCellSource, withBody, withRounds } from '../cellsource';

describe('changedLines', () => {
  it('marks the rewritten and added lines only', () => {
    const before = ['import x', 'plt.bar(df.a, df.b)', 'plt.show()'];
    const after = ['import x', "plt.bar(df['a'], df['b'])", 'plt.title("t")', 'plt.show()'];
    expect([...changedLines(before, after)]).toEqual([1, 2]);
  });

  it('marks nothing when the code is unchanged and everything when it is new', () => {
    expect(changedLines(['a', 'b'], ['a', 'b']).size).toBe(0);
    expect([...changedLines([], ['a', 'b'])]).toEqual([0, 1]);
  });
});

describe('cell source edits', () => {
  it('sets --rounds on the magic line, replacing -k or --rounds', () => {
    expect(withRounds('%%viscode df\nbars', 4)).toBe('%%viscode df --rounds 4\nbars');
    expect(withRounds('%%viscode df -k 2 --lib seaborn\nbars', 3)).toBe('%%viscode df --rounds 3 --lib seaborn\nbars');
    expect(withRounds('%%viscode df --rounds=1\nbars', 2)).toBe('%%viscode df --rounds 2\nbars');
  });

  it('keeps the magic line and replaces the body', () => {
    expect(withBody('%%viscode df --fix\nplt.bar(x)\n', 'plt.bar(df.x, df.y)\n')).toBe(
      '%%viscode df --fix\nplt.bar(df.x, df.y)'
    );
    expect(newCellSource('sales')).toBe('%%viscode sales\n');
    expect(newCellSource('')).toBe('%%viscode\n');
  });
});
