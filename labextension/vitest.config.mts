// Unit tests of the renderer in jsdom; JupyterLab's packages ship ES modules
// without "type": "module", so vite transforms them instead of Node loading them.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'jsdom',
    include: ['src/__tests__/**/*.spec.ts'],
    setupFiles: ['src/__tests__/setup.ts'],
    server: { deps: { inline: [/@jupyterlab\//, /@jupyter\//, /@microsoft\//, /@lumino\//, /@codemirror\//, /@lezer\//] } }
  }
});
