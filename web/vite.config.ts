import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The built app is served by the service itself (src/http/web.rs embeds
// web/dist/, which is committed). Asset URLs are absolute (`/assets/…`) so a
// deep link such as /runbook/{serviceId}/{errorCode} loads them too.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev` against a service on the default port.
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:8080', ws: true },
      '/graphiql': { target: 'http://127.0.0.1:8080' },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
