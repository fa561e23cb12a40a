import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The studio renderer. Served by the runtime at `/studio/` in web mode (and loaded by Electron).
 * Monaco is bundled locally (no CDN): see `src/json-editor/monacoSetup.ts`.
 */
export default defineConfig({
  // Vite defines import.meta.dirname when it loads this file (no node:* import needed here).
  root: import.meta.dirname,
  base: '/studio/',
  plugins: [react()],
  build: {
    outDir: `${import.meta.dirname}/../dist/studio`,
    emptyOutDir: true,
    // Monaco alone is a few MB; the warning would fire on every build for no actionable reason.
    chunkSizeWarningLimit: 6000,
  },
  worker: {
    format: 'es',
  },
});
