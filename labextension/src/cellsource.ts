/**
 * Edits of a `%%viscode` cell's source for the Retry and Fix my cell buttons.
 */

const ROUNDS = /\s(?:-k|--rounds)(?:\s+|=)\d+/;

/** The cell with `--rounds` on its magic line set to `rounds` (added if absent). */
export function withRounds(source: string, rounds: number): string {
  const [first, ...rest] = source.split('\n');
  const line = ROUNDS.test(first)
    ? first.replace(ROUNDS, ` --rounds ${rounds}`)
    : `${first.trimEnd()} --rounds ${rounds}`;
  return [line, ...rest].join('\n');
}

/** The cell with its magic line kept and its body replaced by `code`. */
export function withBody(source: string, code: string): string {
  const first = source.split('\n')[0];
  return `${first}\n${code.replace(/\n+$/, '')}`;
}

/** A new cell that asks for a plot of `frame` (no name: the only frame in scope). */
export function newCellSource(frame: string): string {
  return frame ? `%%viscode ${frame}\n` : '%%viscode\n';
}
