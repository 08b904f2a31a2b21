/**
 * The notebook side of viscoder-magic: the "New VisCode cell" command (palette
 * and toolbar), the actions the rendered run asks for (Insert, Retry, Fix my
 * cell), and the provenance written into each cell's metadata after it runs.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { CommandToolbarButton, ICommandPalette, InputDialog } from '@jupyterlab/apputils';
import { INotebookTracker, Notebook, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { DisposableDelegate } from '@lumino/disposable';

import { ACTION_EVENT, IActionDetail, IRunBundle, provenance } from './bundle';
import { newCellSource, withBody, withRounds } from './cellsource';
import { MIME_TYPE } from './index';

/** The command that inserts a `%%viscode` cell. */
const NEW_CELL = 'viscode:new-cell';

/** A cell of a notebook (typed through the notebook, which pins its cells package). */
type Cell = Notebook['widgets'][number];

/** The part of a code cell's model read here: its outputs' data. */
interface IWithOutputs {
  outputs: { length: number; get(index: number): { data: Record<string, unknown> } };
}

/** Cell metadata key of the run's provenance. */
const METADATA_KEY = 'viscode';

/** Python, evaluated in the kernel: the DataFrame variables, sorted. */
const FRAMES_EXPRESSION =
  "sorted(n for n, v in globals().items() if not n.startswith('_') and type(v).__name__ == 'DataFrame')";

/** The DataFrame names in the notebook's kernel (none when there is no kernel). */
async function dataFrameNames(panel: NotebookPanel): Promise<string[]> {
  const kernel = panel.sessionContext.session?.kernel;
  if (!kernel) {
    return [];
  }
  const reply = await kernel.requestExecute({
    code: '',
    silent: true,
    store_history: false,
    user_expressions: { frames: FRAMES_EXPRESSION }
  }).done;
  const result = (reply.content as any).user_expressions?.frames;
  const text: string = result?.status === 'ok' ? result.data['text/plain'] : '[]';
  // The repr of a list of identifiers: quotes never occur inside the names.
  return [...text.matchAll(/'([A-Za-z_]\w*)'/g)].map(match => match[1]);
}

/** The frame to plot: the only one, or the user's pick; null when cancelled. */
async function pickFrame(names: string[]): Promise<string | null> {
  if (names.length < 2) {
    return names[0] ?? '';
  }
  const result = await InputDialog.getItem({ title: 'New VisCode cell', label: 'DataFrame to plot', items: names });
  return result.button.accept ? result.value : null;
}

/** Insert a `%%viscode` cell below the active one, ready for the request. */
async function insertViscodeCell(panel: NotebookPanel): Promise<void> {
  const frame = await pickFrame(await dataFrameNames(panel));
  if (frame === null) {
    return;
  }
  NotebookActions.insertBelow(panel.content);
  panel.content.activeCell?.model.sharedModel.setSource(newCellSource(frame));
  panel.content.mode = 'edit';
}

/** Do what a rendered run's button asked, on the cell that holds the run. */
function handleAction(panel: NotebookPanel, event: CustomEvent<IActionDetail>): void {
  const notebook = panel.content;
  const index = notebook.widgets.findIndex(cell => cell.node.contains(event.target as Node));
  if (index < 0) {
    return;
  }
  const { action, bundle } = event.detail;
  const cell = notebook.widgets[index];
  const source = cell.model.sharedModel.getSource();
  notebook.activeCellIndex = index;
  if (action === 'insert' && bundle.final_code) {
    NotebookActions.insertBelow(notebook);
    notebook.activeCell?.model.sharedModel.setSource(bundle.final_code);
  } else if (action === 'retry') {
    cell.model.sharedModel.setSource(withRounds(source, bundle.request.rounds + 1));
    void NotebookActions.run(notebook, panel.sessionContext);
  } else if (action === 'fix' && bundle.final_code) {
    cell.model.sharedModel.setSource(withBody(source, bundle.final_code));
  }
}

/** The last run bundle among a code cell's outputs, if any. */
function lastRun(cell: Cell): IRunBundle | null {
  if (cell.model.type !== 'code') {
    return null;
  }
  const outputs = (cell.model as unknown as IWithOutputs).outputs;
  for (let i = outputs.length - 1; i >= 0; i--) {
    const data = outputs.get(i).data[MIME_TYPE];
    if (data) {
      return data as unknown as IRunBundle;
    }
  }
  return null;
}

/** Record how the cell's figure was made, so a saved notebook keeps it. */
function recordProvenance(cell: Cell): void {
  const bundle = lastRun(cell);
  if (bundle) {
    cell.model.setMetadata(METADATA_KEY, provenance(bundle));
  } else if (cell.model.getMetadata(METADATA_KEY) !== undefined) {
    cell.model.deleteMetadata(METADATA_KEY);
  }
}

/** The command, its palette entry and toolbar button, and the per-notebook wiring. */
function activate(app: JupyterFrontEnd, tracker: INotebookTracker, palette: ICommandPalette | null): void {
  app.commands.addCommand(NEW_CELL, {
    label: 'New VisCode cell',
    caption: 'Insert a %%viscode cell for a DataFrame in the kernel',
    isEnabled: () => tracker.currentWidget !== null,
    execute: () => (tracker.currentWidget ? insertViscodeCell(tracker.currentWidget) : undefined)
  });
  palette?.addItem({ command: NEW_CELL, category: 'VisCode' });
  app.docRegistry.addWidgetExtension('Notebook', {
    createNew: (panel: NotebookPanel) => {
      const button = new CommandToolbarButton({ commands: app.commands, id: NEW_CELL, label: 'New VisCode cell' });
      panel.toolbar.insertItem(10, 'viscodeNewCell', button);
      return new DisposableDelegate(() => button.dispose());
    }
  });
  tracker.widgetAdded.connect((_, panel) => {
    panel.content.node.addEventListener(ACTION_EVENT, event =>
      handleAction(panel, event as CustomEvent<IActionDetail>)
    );
  });
  NotebookActions.executed.connect((_, { cell }) => recordProvenance(cell));
}

/** The notebook plugin: commands, actions and provenance. */
const plugin: JupyterFrontEndPlugin<void> = {
  id: 'viscoder-magic:notebook',
  description: 'New VisCode cell, run actions, and provenance in cell metadata.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette],
  activate
};

export default plugin;
