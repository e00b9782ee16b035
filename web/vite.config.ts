import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

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
    // `npm run dev` (or `dev:web` beside a server started separately) sends the API and its
    // WebSocket to the server on PORT (default 8080).
    proxy: { '/api': { target: `http://127.0.0.1:${process.env.PORT ?? 8080}`, ws: true } },
  },
  plugins: [cleanPagePaths()],
});

/** The dev server answers /unidad, /centro… as the real server does (src/http/app.ts), not only /unidad.html. */
function cleanPagePaths(): Plugin {
  const clean = new Set(pages.map((page) => `/${page.replace(/\.html$/, '')}`));
  return {
    name: 'cuadrante-clean-page-paths',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const [path = '', query] = (req.url ?? '').split('?');
        if (clean.has(path)) req.url = `${path}.html${query === undefined ? '' : `?${query}`}`;
        next();
      });
    },
  };
}
