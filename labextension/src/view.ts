/**
 * The DOM of a rendered run: a compact header, the timeline of attempts, and
 * the action buttons. Only `textContent` is used, so the view is safe for
 * untrusted notebooks.
 */
import { changedLines } from './diff';
import { highlightLine } from './highlight';
import { IAttempt, IRunBundle, RunAction } from './bundle';

/** Prefix of every class the view sets; style/base.css scopes its rules with it. */
export const PREFIX = 'jp-VisCodeRun';

/** What the buttons do; the renderer wires these to the clipboard and the notebook. */
export interface IViewHandlers {
  copy(code: string): void;
  action(action: RunAction): void;
}

/** An element with a class and, optionally, text. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** Whether the run ended on a figure that drew but does not show what was asked. */
function mismatched(bundle: IRunBundle): boolean {
  return !bundle.ok && bundle.attempts.some(a => a.error_type === 'Mismatch');
}

/** One line: outcome, model, attempts, time, and the request. */
export function header(bundle: IRunBundle): HTMLElement {
  const node = el('div', `${PREFIX}-header`);
  const outcome = bundle.ok
    ? '✓ figure drawn'
    : bundle.interrupted
      ? '■ interrupted'
      : mismatched(bundle)
        ? '△ figure drawn, not what was asked'
        : '✗ no working code';
  node.append(
    el('span', `${PREFIX}-outcome ${PREFIX}-${bundle.ok ? 'ok' : 'failed'}`, outcome),
    el('span', `${PREFIX}-model`, bundle.model.name),
    el('span', `${PREFIX}-count`, `${bundle.attempts.length} attempt${bundle.attempts.length === 1 ? '' : 's'}`),
    el('span', `${PREFIX}-time`, `${bundle.seconds.toFixed(1)} s`),
    el('span', `${PREFIX}-request`, bundle.request.fix ? '(your code, --fix)' : bundle.request.text)
  );
  return node;
}

/** An attempt's code, one element per line; lines changed since `previous` are marked. */
async function codeBlock(attempt: IAttempt, position: number, previous: IAttempt | null): Promise<HTMLElement> {
  const lines = attempt.code.split('\n');
  const changed = previous ? changedLines(previous.code.split('\n'), lines) : new Set<number>();
  const pre = el('pre', `${PREFIX}-code`);
  for (const [index, line] of lines.entries()) {
    const row = el('div', `${PREFIX}-line${changed.has(index) ? ` ${PREFIX}-changed` : ''}`);
    await highlightLine(line, row);
    pre.append(row);
  }
  if (previous) {
    const note = `${changed.size} line${changed.size === 1 ? '' : 's'} changed since attempt ${position - 1}`;
    pre.prepend(el('div', `${PREFIX}-diffnote`, note));
  }
  return pre;
}

/** One expandable attempt (numbered by position): status in the summary; code, error and hint inside. */
async function attemptItem(attempt: IAttempt, position: number, previous: IAttempt | null): Promise<HTMLElement> {
  const item = el('details', `${PREFIX}-attempt ${PREFIX}-${attempt.ok ? 'ok' : 'failed'}`);
  const status = attempt.ok ? '✓ drew a figure' : `✗ ${attempt.error_type ?? 'error'}`;
  const tokens = attempt.tokens ? ` · ${attempt.tokens} tokens` : '';
  item.append(
    el('summary', `${PREFIX}-summary`,
      `Attempt ${position} (${attempt.kind}) · ${status} · ${attempt.seconds.toFixed(1)} s${tokens}`),
    await codeBlock(attempt, position, previous)
  );
  if (attempt.note) {
    item.append(el('p', `${PREFIX}-note`, `Changed by rule, without the model: ${attempt.note}`));
  }
  if (attempt.error) {
    item.append(el('pre', `${PREFIX}-error`, attempt.error));
  }
  if (attempt.hint) {
    item.append(el('p', `${PREFIX}-hint`, `Hint given to the model: ${attempt.hint}`));
  }
  return item;
}

/** The attempts in order, each diffed against the one before. */
export async function timeline(bundle: IRunBundle): Promise<HTMLElement> {
  const list = el('div', `${PREFIX}-timeline`);
  for (const [index, attempt] of bundle.attempts.entries()) {
    list.append(await attemptItem(attempt, index + 1, index > 0 ? bundle.attempts[index - 1] : null));
  }
  return list;
}

/** A button that runs `onClick`; disabled (with a reason) when `enabled` is false. */
function button(label: string, title: string, enabled: boolean, onClick: (b: HTMLButtonElement) => void): HTMLButtonElement {
  const node = el('button', `jp-Button jp-mod-styled ${PREFIX}-button`, label);
  node.type = 'button';
  node.title = enabled ? title : 'No working code in this run';
  node.disabled = !enabled;
  node.addEventListener('click', () => onClick(node));
  return node;
}

/** Insert code below, Copy code, Retry, and (for --fix runs) Fix my cell. */
export function actions(bundle: IRunBundle, handlers: IViewHandlers): HTMLElement {
  const bar = el('div', `${PREFIX}-actions`);
  const code = bundle.final_code;
  bar.append(
    button('Insert code below', 'A new code cell with the working code', !!code, () => handlers.action('insert')),
    button('Copy code', 'Copy the working code', !!code, node => {
      handlers.copy(code ?? '');
      node.textContent = 'Copied';
      setTimeout(() => (node.textContent = 'Copy code'), 1500);
    }),
    button('Retry', `Run the cell again with --rounds ${bundle.request.rounds + 1}`, true, () =>
      handlers.action('retry')
    )
  );
  if (bundle.request.fix) {
    bar.append(
      button('Fix my cell', 'Replace your code in this cell by the repaired code', !!code, () =>
        handlers.action('fix')
      )
    );
  }
  return bar;
}

/** The facts line under the figure: what it shows, in one sentence; null when nothing drew. */
export function factsLine(bundle: IRunBundle): HTMLElement | null {
  const line = bundle.facts?.line;
  return line ? el('p', `${PREFIX}-facts`, `Figure: ${line}`) : null;
}

/**
 * Give the run's figures the facts line as their alt text, for screen readers.
 *
 * The figures are the outputs just before the run in the same output area (JupyterLab's
 * own image renderer draws them, without alt text); only images with no alt are labelled.
 */
export function labelFigures(run: HTMLElement, line: string): number {
  const output = run.closest('.jp-OutputArea-child');
  let labelled = 0;
  for (let sibling = output?.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
    if (sibling.querySelector(`.${PREFIX}`)) {
      break; // an earlier run's output: its figures are its own
    }
    for (const img of sibling.querySelectorAll('img')) {
      if (!img.alt) {
        img.alt = line;
        labelled += 1;
      }
    }
  }
  return labelled;
}
