/**
 * Opens the notebook the Python test wrote (viscode.ipynb: a small DataFrame, a
 * scripted-model cell, a real-model cell), runs it, and drives the rendered runs.
 */
import * as path from 'path';
import { expect, Locator, Page, test } from '@playwright/test';

const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
const GENERATION = 12 * 60 * 1000; // model load plus up to three attempts on a busy CPU

/** The code cell whose output holds the rendered run number `index`. */
function runCell(page: Page, index: number): Locator {
  return page.locator('.jp-Notebook .jp-CodeCell').filter({ has: page.locator('.jp-VisCodeRun') }).nth(index);
}

/** The text of the code cell right below `cell`. */
async function sourceBelow(cell: Locator): Promise<string> {
  const next = cell.locator('xpath=following-sibling::div[contains(@class, "jp-Cell")][1]');
  await expect(next).toHaveClass(/jp-CodeCell/);
  return next.locator('.cm-content').innerText();
}

/** Click a menu entry of JupyterLab's menu bar. */
async function menu(page: Page, top: string, entry: string): Promise<void> {
  await page.locator('.lm-MenuBar-itemLabel', { hasText: new RegExp(`^${top}$`) }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: new RegExp(`^${entry}$`) }).click();
}

test('a %%viscode run renders, expands, and inserts its code', async ({ page }) => {
  await page.goto('lab/tree/viscode.ipynb');
  // Run only once the kernel is up; with no kernel yet, Run All asks for one instead.
  await expect(page.getByText('Python 3 (ipykernel) | Idle')).toBeVisible({ timeout: 180_000 });
  await menu(page, 'Run', 'Run All Cells');

  // The scripted model: a wrong column, then a repair; deterministic diff and buttons.
  const scripted = runCell(page, 0);
  await expect(scripted.locator('.jp-VisCodeRun-header')).toContainText('2 attempts', { timeout: 120_000 });
  await expect(scripted.locator('.jp-VisCodeRun-header')).toContainText('✓ figure drawn');
  await expect(scripted.locator('.jp-OutputArea-output img')).toBeVisible();
  const attempts = scripted.locator('details.jp-VisCodeRun-attempt');
  await expect(attempts).toHaveCount(2);
  await attempts.nth(0).locator('summary').click();
  await expect(attempts.nth(0).locator('summary')).toContainText('Attempt 1 (generate) · ✗');
  await expect(attempts.nth(0).locator('.jp-VisCodeRun-error')).toContainText("no column 'amount'");
  await attempts.nth(1).locator('summary').click();
  const changed = attempts.nth(1).locator('.jp-VisCodeRun-changed');
  await expect(changed).toHaveCount(2);
  await expect(changed.first()).toContainText("df['sales']");
  // Highlighted by JupyterLab's CodeMirror: tokens are spans inside each line.
  expect(await attempts.nth(1).locator('.jp-VisCodeRun-line span').count()).toBeGreaterThan(3);

  await scripted.locator('.jp-VisCodeRun').screenshot({ path: path.join(ARTIFACTS, 'viscode-repair.png') });

  await scripted.getByRole('button', { name: 'Copy code' }).click();
  await expect(scripted.getByRole('button', { name: 'Copied' })).toBeVisible();
  await scripted.getByRole('button', { name: 'Insert code below' }).click();
  expect(await sourceBelow(scripted)).toBe(
    "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['sales'])\nplt.title('Sales per region')"
  );

  // --fix: the user's code failed, a rule-based patch renamed the column; Fix my cell writes it back.
  const fix = runCell(page, 1);
  await expect(fix.locator('.jp-VisCodeRun-header')).toContainText('✓ figure drawn', { timeout: 120_000 });
  await expect(fix.locator('summary').first()).toContainText('(user)');
  await expect(fix.locator('summary').nth(1)).toContainText('Attempt 2 (patch) · ✓');
  await fix.locator('summary').nth(1).click();
  await expect(fix.locator('.jp-VisCodeRun-note')).toContainText("column 'sale' does not exist; used 'sales'");
  await fix.getByRole('button', { name: 'Fix my cell' }).click();
  await expect(fix.locator('.jp-InputArea .cm-content')).toContainText("plt.bar(df['region'], df['sales'])");
  await expect(fix.locator('.jp-InputArea .cm-content')).not.toContainText("df['sale'])");

  // The real default model: the run and its attempts render, whatever the model wrote.
  const real = runCell(page, 2);
  await expect(real.locator('.jp-VisCodeRun-header')).toBeVisible({ timeout: GENERATION });
  const realAttempts = real.locator('details.jp-VisCodeRun-attempt');
  expect(await realAttempts.count()).toBeGreaterThanOrEqual(1);
  await realAttempts.last().locator('summary').click();
  await expect(realAttempts.last().locator('.jp-VisCodeRun-code')).toBeVisible();
  await real.scrollIntoViewIfNeeded();
  await real.locator('.jp-Cell-outputWrapper').screenshot({ path: path.join(ARTIFACTS, 'viscode-run.png') });
  const insert = real.getByRole('button', { name: 'Insert code below' });
  if (await insert.isEnabled()) {
    await insert.click();
    const inserted = await sourceBelow(real);
    const lastCode = await realAttempts.last().locator('.jp-VisCodeRun-code .jp-VisCodeRun-line').allInnerTexts();
    // CodeMirror's innerText doubles blank lines; compare the lines with code.
    const code = (lines: string[]) => lines.filter(line => line.trim() !== '');
    expect(code(inserted.split('\n'))).toEqual(code(lastCode));
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'notebook.png'), fullPage: true });

  // Retry (once the kernel is free): one more repair round, and the cell runs again.
  const retry = scripted.getByRole('button', { name: 'Retry' });
  await expect(retry).toHaveAttribute('title', /--rounds 2/);
  await retry.click();
  await expect(scripted.locator('.jp-InputArea .cm-content')).toContainText('%%viscode df --rounds 2');
  await expect(scripted.getByRole('button', { name: 'Retry' })).toHaveAttribute('title', /--rounds 3/, { timeout: 120_000 });
  await expect(scripted.locator('.jp-VisCodeRun-header')).toContainText('✓ figure drawn');

  // The toolbar button inserts a %%viscode cell for the kernel's only DataFrame.
  await page.locator('.jp-NotebookPanel-toolbar').getByText('New VisCode cell').click();
  await expect(page.locator('.jp-Cell.jp-mod-active .cm-content')).toHaveText('%%viscode df');
  // ... and the command palette lists the same command.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+C');
  await page.locator('.lm-CommandPalette-input').fill('New VisCode cell');
  await expect(page.locator('.lm-CommandPalette-item', { hasText: 'New VisCode cell' })).toBeVisible();
  await page.locator('.lm-CommandPalette-input').press('Escape');
  await expect(page.locator('.lm-CommandPalette-input')).toBeHidden();

  // Save, so the Python test can read the provenance the plugin wrote.
  await page.getByRole('button', { name: 'Save and create checkpoint (Ctrl+S)' }).click();
  await expect(page.locator('.lm-TabBar-tab.jp-mod-dirty')).toHaveCount(0);
});
