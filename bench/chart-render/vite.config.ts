// Builds the B5 benchmark page (bench/chart-render/page.tsx) into dist/bench-chart-render, apart
// from the app's own build, with React in production mode as users get it.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  plugins: [react()],
  build: {
    outDir: '../../dist/bench-chart-render',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
});
