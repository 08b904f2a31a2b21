/**
 * Line diff between consecutive attempts, so a repair shows what it changed.
 */

/**
 * Indices of the lines of `after` that are not in a longest common subsequence
 * with `before`: the lines a repair added or rewrote.
 */
export function changedLines(before: string[], after: string[]): Set<number> {
  const n = before.length;
  const m = after.length;
  // lcs[i][j]: LCS length of before[i:] and after[j:]; plotting code is short.
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] =
        before[i] === after[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const changed = new Set<number>();
  let i = 0;
  let j = 0;
  while (j < m) {
    if (i < n && before[i] === after[j]) {
      i++;
      j++;
    } else if (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
      i++;
    } else {
      changed.add(j++);
    }
  }
  return changed;
}
