/**
 * Browser test of the built extension in a running JupyterLab.
 *
 * tests/test_labextension.py starts JupyterLab and sets VISCODE_LAB_URL; the
 * browser is Debian's chromium (never downloaded). Playwright gives every launch a
 * fresh temporary profile (its own --user-data-dir).
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  // A real model on a shared CPU: generous limits, no timing asserts.
  timeout: 15 * 60 * 1000,
  expect: { timeout: 30 * 1000 },
  workers: 1,
  retries: 0,
  reporter: 'list',
  use: {
    baseURL: process.env.VISCODE_LAB_URL ?? 'http://127.0.0.1:8888',
    viewport: { width: 1100, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    }
  }
});
