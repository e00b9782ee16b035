import { html } from 'htm/preact';
import { useEffect, useMemo } from 'preact/hooks';
import { LangToggle } from '../shared/LangToggle.js';
import { useLang } from '../shared/useLang.js';
import { FALLBACK_CONFIG, usePublicConfig } from '../shared/usePublicConfig.js';
import { Legend } from './Legend.js';
import { MapView, type Selection } from './MapView.js';
import { NumberCheck } from './NumberCheck.js';
import { FamilyPanel } from '../family/FamilyPanel.js';
import { PanicSection } from './panic/PanicSection.js';
import { ResultPanel } from './ResultPanel.js';
import { strings } from './strings.js';
import { useLookup, type Lookup } from './useLookup.js';

function selectionOf(lookup: Lookup): Selection {
  switch (lookup.status) {
    case 'loading': return { point: lookup.point, quadrantId: null, focus: lookup.focus };
    case 'done': {
      const { quadrant, nearest } = lookup.result;
      return { point: lookup.point, quadrantId: quadrant?.id ?? nearest?.id ?? null, focus: lookup.focus };
    }
    case 'failed': return { point: lookup.point, quadrantId: null, focus: false };
    default: return { point: null, quadrantId: null, focus: false };
  }
}

export function App() {
  const { lang, choose, adoptServerDefault } = useLang();
  const config = usePublicConfig(lang, adoptServerDefault, FALLBACK_CONFIG);
  const { lookup, pickPoint, locateMe } = useLookup(lang);
  const selection = useMemo(() => selectionOf(lookup), [lookup]);
  const t = strings[lang];

  useEffect(() => { document.title = `${t.title} · Cuadrante`; }, [t]);

  return html`
    <header class="top">
      <div class="brand"><span class="logo" aria-hidden="true"></span>Cuadrante</div>
      <${LangToggle} lang=${lang} onChange=${choose} />
    </header>
    <main class="layout">
      <${PanicSection} lang=${lang} cityLine=${config?.city.line ?? null} fallbackPoint=${selection.point} />
      <div class="intro">
        <h1>${t.title}</h1>
        <p>${t.intro}</p>
        <button type="button" class="locate" data-testid="locate-me" onClick=${locateMe}
          aria-busy=${lookup.status === 'locating'}>
          ${lookup.status === 'locating' ? t.locating : t.locateMe}
        </button>
        <p class="small">${t.locateHint} ${t.privacy}</p>
      </div>
      <${MapView} config=${config} lang=${lang} selection=${selection} onPick=${pickPoint} />
      <${ResultPanel} lookup=${lookup} lang=${lang} />
      <${NumberCheck} lang=${lang} />
      <section id="familia" class="family-section"><${FamilyPanel} lang=${lang} /></section>
      <${Legend} lang=${lang} />
    </main>`;
}
