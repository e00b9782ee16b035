import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * One HTML entry per page: citizen (/), unit app (/unidad), operations console (/centro),
 * call coach (/llamada), analysts' console (/analistas), a trusted contact's check-in answer (/verificar).
 */
const pages = ['index.html', 'unidad.html', 'centro.html', 'llamada.html', 'analistas.html', 'verificar.html'];

export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The map library is its own lazy chunk; its size is expected and not worth a warning.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      input: pages.map((page) => fileURLToPath(new URL(page, import.meta.url))),
    },
  },
  server: {
    // `npm run dev:web` talks to a server started separately on its default port.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
