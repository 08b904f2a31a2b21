import { describe, expect, it } from 'vitest';

import { ACTION_EVENT, IActionDetail, IRunBundle, provenance } from '../bundle';
import extension, { MIME_TYPE, RunRenderer, rendererFactory } from '../index';
import { labelFigures } from '../view';

/** A failed generation, then a repair that works (the shape run_bundle writes). */
function bundle(overrides: Partial<IRunBundle> = {}): IRunBundle {
  return {
    version: 1,
    request: {
      text: 'bar chart of sales per region', frames: ['df'], lib: 'matplotlib', model: 'default',
      endpoint: null, rounds: 2, seed: 7, temperature: 0, fix: false, cell: '%%viscode df\nbar chart'
    },
    frames: [{ name: 'df', rows: 3, columns: 2, description: 'df: 3 rows' }],
    attempts: [
      { index: 0, kind: 'generate', code: 'import matplotlib.pyplot as plt\nplt.bar(df.region, df.sale)',
        ok: false, error_type: 'AttributeError', error: "'DataFrame' object has no attribute 'sale'",
        hint: 'Columns are region, sales.', seconds: 1.25, tokens: 30 },
      { index: 1, kind: 'repair', code: 'import matplotlib.pyplot as plt\nplt.bar(df.region, df.sales)',
        ok: true, error_type: null, error: '', hint: '', seconds: 0.5, tokens: 28 }
    ],
    final_code: 'import matplotlib.pyplot as plt\nplt.bar(df.region, df.sales)',
    ok: true,
    interrupted: false,
    model: { name: 'qwen2.5-coder-0.5b' },
    seconds: 1.75,
    ...overrides
  };
}

/** Render `data` the way JupyterLab does: factory, renderer, renderModel. */
async function render(data: IRunBundle): Promise<RunRenderer> {
  const renderer = rendererFactory.createRenderer({ mimeType: MIME_TYPE } as any) as RunRenderer;
  await renderer.renderModel({ data: { [MIME_TYPE]: data } } as any);
  document.body.appendChild(renderer.node);
  return renderer;
}

function buttons(node: HTMLElement): Record<string, HTMLButtonElement> {
  const all = [...node.querySelectorAll('button')] as HTMLButtonElement[];
  return Object.fromEntries(all.map(b => [b.textContent!, b]));
}

describe('the extension', () => {
  it('registers a safe renderer for the run MIME type ahead of HTML', () => {
    expect(MIME_TYPE).toBe('application/vnd.viscoder.run+json');
    expect(extension.id).toBe('viscoder-magic:plugin');
    expect(rendererFactory.safe).toBe(true);
    expect(rendererFactory.mimeTypes).toEqual([MIME_TYPE]);
    expect(extension.rank).toBeLessThan(50);
  });
});

describe('RunRenderer', () => {
  it('shows a header with outcome, model, attempts and time', async () => {
    const { node } = await render(bundle());
    const header = node.querySelector('.jp-VisCodeRun-header')!.textContent!;
    expect(header).toContain('✓ figure drawn');
    expect(header).toContain('qwen2.5-coder-0.5b');
    expect(header).toContain('2 attempts');
    expect(header).toContain('1.8 s');
  });

  it('lists attempts as collapsed items with code, error, hint and the repaired line', async () => {
    const { node } = await render(bundle());
    const items = node.querySelectorAll('details.jp-VisCodeRun-attempt');
    expect(items.length).toBe(2);
    expect([...items].every(item => !(item as HTMLDetailsElement).open)).toBe(true);
    expect(items[0].querySelector('summary')!.textContent).toContain('Attempt 1 (generate) · ✗ AttributeError');
    expect(items[0].querySelector('.jp-VisCodeRun-error')!.textContent).toContain("no attribute 'sale'");
    expect(items[0].querySelector('.jp-VisCodeRun-hint')!.textContent).toContain('Columns are region, sales.');
    expect(items[0].querySelectorAll('.jp-VisCodeRun-changed').length).toBe(0);
    const changed = items[1].querySelectorAll('.jp-VisCodeRun-changed');
    expect(changed.length).toBe(1);
    expect(changed[0].textContent).toBe('plt.bar(df.region, df.sales)');
    // Highlighted by JupyterLab's CodeMirror language registry: tokens become spans.
    expect(items[1].querySelectorAll('.jp-VisCodeRun-line span').length).toBeGreaterThan(2);
    expect(items[1].querySelector('.jp-VisCodeRun-diffnote')!.textContent).toBe('1 line changed since attempt 1');
  });

  it('numbers attempts by position and shows what a rule-based patch changed', async () => {
    const patched = bundle();
    patched.attempts[1] = { ...patched.attempts[1], index: 0, kind: 'patch',
      note: "removed the keyword 'colour', which the call does not take" };
    const { node } = await render(patched);
    const items = node.querySelectorAll('.jp-VisCodeRun-attempt');
    expect(items[1].querySelector('summary')!.textContent).toContain('Attempt 2 (patch) · ✓ drew a figure');
    expect(items[1].querySelector('.jp-VisCodeRun-note')!.textContent).toContain("removed the keyword 'colour'");
    expect(items[0].querySelector('.jp-VisCodeRun-note')).toBeNull();
  });

  it('asks the notebook to insert, retry and fix through a bubbling event', async () => {
    const { node } = await render(bundle({ request: { ...bundle().request, fix: true } }));
    const seen: IActionDetail[] = [];
    document.body.addEventListener(ACTION_EVENT, e => seen.push((e as CustomEvent<IActionDetail>).detail));
    const all = buttons(node);
    all['Insert code below'].click();
    all['Retry'].click();
    all['Fix my cell'].click();
    expect(seen.map(d => d.action)).toEqual(['insert', 'retry', 'fix']);
    expect(seen[0].bundle.final_code).toContain('df.sales');
    expect(all['Retry'].title).toContain('--rounds 3');
  });

  it('disables Insert and Copy without working code, and offers Fix only for --fix', async () => {
    const { node } = await render(bundle({ ok: false, final_code: null }));
    const all = buttons(node);
    expect(all['Insert code below'].disabled).toBe(true);
    expect(all['Copy code'].disabled).toBe(true);
    expect(all['Retry'].disabled).toBe(false);
    expect(all['Fix my cell']).toBeUndefined();
    expect(node.querySelector('.jp-VisCodeRun-header')!.textContent).toContain('✗ no working code');
  });

  it('writes request text as text, never as HTML', async () => {
    const evil = bundle({ request: { ...bundle().request, text: '<img src=x onerror=alert(1)>' } });
    const { node } = await render(evil);
    expect(node.querySelector('img')).toBeNull();
  });
});

describe('provenance', () => {
  it('records model, seed, rounds and the final code', () => {
    const record = provenance(bundle());
    expect(record).toMatchObject({ model: 'qwen2.5-coder-0.5b', seed: 7, rounds: 2, attempts: 2, ok: true });
    expect(record.final_code).toContain('df.sales');
  });
});

describe('figure facts', () => {
  const facts = { line: 'bar chart, 1 panel: sales by region, 3 bars' };

  it('shows the facts line under the header', async () => {
    const { node } = await render(bundle({ facts }));
    expect(node.querySelector('.jp-VisCodeRun-facts')!.textContent).toBe(`Figure: ${facts.line}`);
  });

  it('shows no facts line when nothing drew', async () => {
    const { node } = await render(bundle({ facts: null, ok: false, final_code: null }));
    expect(node.querySelector('.jp-VisCodeRun-facts')).toBeNull();
  });

  it('says a figure that drew but is not what was asked is not a pass', async () => {
    const attempts = [{ ...bundle().attempts[1], ok: false, error_type: 'Mismatch',
      error: 'A pie chart was asked for, but the figure draws bars.' }];
    const { node } = await render(bundle({ ok: false, final_code: null, attempts, facts }));
    expect(node.querySelector('.jp-VisCodeRun-header')!.textContent).toContain('figure drawn, not what was asked');
  });

  it("labels the run's figures, and only those, with the facts line as alt text", () => {
    const area = document.createElement('div');
    area.className = 'jp-OutputArea';
    const child = (inner: string) => {
      const node = document.createElement('div');
      node.className = 'jp-OutputArea-child';
      node.innerHTML = inner;
      area.append(node);
      return node;
    };
    const earlier = child('<img src="a.png">');
    child('<div class="jp-VisCodeRun"></div>');
    const figure = child('<img src="b.png">');
    const run = child('<div class="jp-VisCodeRun"></div>');
    expect(labelFigures(run.querySelector('.jp-VisCodeRun') as HTMLElement, facts.line)).toBe(1);
    expect(figure.querySelector('img')!.alt).toBe(facts.line);
    expect(earlier.querySelector('img')!.alt).toBe('');
  });
});
