import { render } from 'preact';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { LangToggle } from '../shared/LangToggle.js';
import { useLang } from '../shared/useLang.js';
import { FamilyPanel } from './FamilyPanel.js';
import { strings } from './strings.js';
import { VerifyPage } from './VerifyPage.js';
import './family.css';
import './page.css';

// verificar.html is two pages chosen by the fragment:
//   #<token>  the trusted contact answers a check-in (no account, no device credential made);
//   nothing   the device owner's "Mi familia" panel, the same component the citizen page and the
//             call coach place — standalone here so it can be reached (and tested) on its own.

const tokenOf = (hash: string): string | null => {
  const raw = decodeURIComponent(hash.replace(/^#/, '')).trim();
  return /^[A-Za-z0-9_-]{10,64}$/.test(raw) ? raw : null;
};

function App() {
  const { lang, choose } = useLang();
  const [token, setToken] = useState(() => tokenOf(location.hash));
  useEffect(() => {
    const onHash = () => setToken(tokenOf(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const t = strings[lang];
  useEffect(() => { document.title = `${token ? t.verifyTitle : t.title} · Cuadrante`; }, [token, t]);
  return html`
    <header class="family-top">
      <div class="family-brand"><span class="family-logo" aria-hidden="true"></span>Cuadrante</div>
      <${LangToggle} lang=${lang} onChange=${choose} />
    </header>
    ${token
      ? html`<${VerifyPage} key=${token} token=${token} lang=${lang} />`
      : html`<main class="family-page"><${FamilyPanel} lang=${lang} level=${1} /></main>`}`;
}

const root = document.getElementById('app');
if (root) render(html`<${App} />`, root);
