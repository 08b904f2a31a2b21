/**
 * The run bundle the kernel sends (schema: viscoder_magic/display.py, `run_bundle`)
 * and the event the rendered run uses to ask the notebook for an action.
 */

/**
 * One attempt: generated, repaired, the user's own code (`--fix`), or a rule-based patch
 * of the attempt before it (no model call; `note` says what changed). `index` is the
 * round, so a patch shares its round with the attempt it fixes.
 */
export interface IAttempt {
  index: number;
  kind: 'generate' | 'repair' | 'user' | 'patch';
  code: string;
  ok: boolean;
  error_type: string | null;
  error: string;
  hint: string;
  note?: string;
  seconds: number;
  tokens: number;
}

/** The parsed cell, as the magic saw it. */
export interface IRequest {
  text: string;
  frames: string[];
  lib: string;
  model: string;
  endpoint: string | null;
  rounds: number;
  seed: number | null;
  temperature: number;
  fix: boolean;
  /** With --fix: what the figure should show, in words (empty when not given). */
  goal?: string;
  cell: string;
}

/** What the shown figure holds, read from the drawn objects; `line` is one readable sentence. */
export interface IFacts {
  line: string;
}

/** A whole `%%viscode` run. */
export interface IRunBundle {
  version: number;
  request: IRequest;
  frames: { name: string; rows: number; columns: number; description: string }[];
  attempts: IAttempt[];
  final_code: string | null;
  /** The shown figure's facts; null when nothing drew (absent in bundles of older versions). */
  facts?: IFacts | null;
  ok: boolean;
  interrupted: boolean;
  model: { name: string };
  seconds: number;
}

/** What a button asks the notebook to do with the cell that holds the run. */
export type RunAction = 'insert' | 'retry' | 'fix';

/** Detail of the DOM event a rendered run dispatches; commands.ts handles it. */
export interface IActionDetail {
  action: RunAction;
  bundle: IRunBundle;
}

/**
 * Name of the bubbling DOM event that carries an `IActionDetail`.
 *
 * A mime renderer cannot reach the notebook, so it raises an event and the
 * notebook plugin, which listens on each notebook's node, does the work.
 */
export const ACTION_EVENT = 'viscode-action';

/** The cell metadata that records how a figure was made (key `viscode`). */
export function provenance(bundle: IRunBundle): Record<string, unknown> {
  const { request } = bundle;
  return {
    version: bundle.version,
    model: bundle.model.name,
    seed: request.seed,
    rounds: request.rounds,
    temperature: request.temperature,
    lib: request.lib,
    frames: request.frames,
    request: request.text,
    attempts: bundle.attempts.length,
    ok: bundle.ok,
    final_code: bundle.final_code
  };
}
