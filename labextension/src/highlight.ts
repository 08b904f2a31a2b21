/**
 * Static Python highlighting with JupyterLab's own CodeMirror language registry,
 * so attempts look like code cells and follow the theme.
 */
import { EditorLanguageRegistry, IEditorLanguage } from '@jupyterlab/codemirror';

let registry: EditorLanguageRegistry | null = null;
let python: Promise<IEditorLanguage | null> | null = null;

/** The Python language, loaded once (a mime renderer gets no editor services). */
function pythonLanguage(): Promise<IEditorLanguage | null> {
  if (!python) {
    registry = new EditorLanguageRegistry();
    EditorLanguageRegistry.getDefaultLanguages().forEach(language => registry!.addLanguage(language));
    python = registry.getLanguage('python').catch(() => null);
  }
  return python;
}

/** Fill `el` with `line` as highlighted spans (plain text if the language fails to load). */
export async function highlightLine(line: string, el: HTMLElement): Promise<void> {
  const language = await pythonLanguage();
  if (registry && language) {
    await registry.highlight(line, language, el);
  } else {
    el.textContent = line;
  }
}
