/**
 * Renders a `%%viscode` run (application/vnd.viscoder.run+json): a header, the
 * attempts with their code, errors and diffs, and Insert/Copy/Retry/Fix buttons.
 */
import { Clipboard } from '@jupyterlab/apputils';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import { ACTION_EVENT, IActionDetail, IRunBundle, RunAction } from './bundle';
import { actions, factsLine, header, labelFigures, timeline } from './view';

/** The MIME type of a run; viscoder_magic/mime.py defines the same string. */
export const MIME_TYPE = 'application/vnd.viscoder.run+json';

/** The class of a rendered run; style/base.css scopes its rules by it. */
const CLASS_NAME = 'jp-VisCodeRun';

/** A widget that renders one run bundle. */
export class RunRenderer extends Widget implements IRenderMime.IRenderer {
  /** Construct a renderer for `options.mimeType`. */
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
    this.addClass(CLASS_NAME);
  }

  /** Render the bundle in `model`, replacing what was shown before. */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const bundle = model.data[this._mimeType] as unknown as IRunBundle;
    const handlers = {
      copy: (code: string) => Clipboard.copyToSystem(code),
      action: (action: RunAction) => this._dispatch({ action, bundle })
    };
    const facts = factsLine(bundle);
    this.node.replaceChildren(
      ...[header(bundle), facts, await timeline(bundle), actions(bundle, handlers)].filter(
        (part): part is HTMLElement => part !== null
      )
    );
    const line = bundle.facts?.line;
    if (line) {
      // The figure's output is in the page once this one is attached: label it then.
      requestAnimationFrame(() => labelFigures(this.node, line));
    }
  }

  /** Ask the notebook (commands.ts) to act on the cell that holds this output. */
  private _dispatch(detail: IActionDetail): void {
    this.node.dispatchEvent(new CustomEvent(ACTION_EVENT, { bubbles: true, detail }));
  }

  private _mimeType: string;
}

/** Creates run renderers; safe, because the view writes text only. */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [MIME_TYPE],
  createRenderer: options => new RunRenderer(options)
};

/** The mime renderer extension; rank 0 puts it ahead of the HTML fallback. */
const extension: IRenderMime.IExtension = {
  id: 'viscoder-magic:plugin',
  description: 'Renders %%viscode runs.',
  rendererFactory,
  rank: 0,
  dataType: 'json'
};

export default extension;
