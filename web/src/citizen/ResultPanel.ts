import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import { common, formatDistance } from '../shared/i18n.js';
import type { Lang, NearestQuadrant } from '../shared/types.js';
import { Call911, QuadrantCard } from './QuadrantCard.js';
import { strings } from './strings.js';
import type { Failure, Lookup } from './useLookup.js';

interface Props { lookup: Lookup; lang: Lang }

/** What the look-up found, announced politely to screen readers as it changes. */
export function ResultPanel({ lookup, lang }: Props) {
  const busy = lookup.status === 'locating' || lookup.status === 'loading';
  const panel = useRef<HTMLElement>(null);
  // After "¿Dónde estoy?" the answer (and its call button) matters more than the map, so
  // bring it on screen. A map tap leaves the page where the finger is.
  const fromButton = (lookup.status === 'done' && lookup.focus) || (lookup.status === 'failed' && !lookup.point);
  useEffect(() => { if (fromButton) panel.current?.scrollIntoView({ block: 'start' }); }, [lookup]);
  return html`
    <section class="panel" ref=${panel} aria-live="polite" aria-busy=${busy} data-testid="result">
      ${body(lookup, lang)}
    </section>`;
}

function body(lookup: Lookup, lang: Lang) {
  const t = strings[lang];
  switch (lookup.status) {
    case 'idle': return html`<p class="hint">${t.empty}</p>`;
    case 'locating': return html`<p class="status">${t.locating}</p>`;
    case 'loading': return html`<p class="status">${t.lookingUp}</p>`;
    case 'failed': return html`<p class="error" data-testid="error-message">${failureText(lookup.failure, lang)}</p>`;
    case 'done': {
      const { quadrant, nearest } = lookup.result;
      if (quadrant) return html`<${QuadrantCard} quadrant=${quadrant} lang=${lang} />`;
      return html`<${OutsideCard} nearest=${nearest} lang=${lang} />`;
    }
  }
}

function OutsideCard({ nearest, lang }: { nearest: NearestQuadrant | null; lang: Lang }) {
  const t = strings[lang];
  const where = nearest && `${nearest.sector}, ${nearest.alcaldia}`;
  return html`
    <article class="card" data-testid="outside-card">
      <h2 data-testid="outside-title">${t.outside}</h2>
      ${nearest && where && html`
        <p data-testid="nearest-quadrant" data-quadrant=${nearest.id}>
          ${t.nearest(nearest.id, where, formatDistance(nearest.distanceMeters, lang))}
        </p>`}
      <${Call911} lang=${lang} />
    </article>`;
}

function failureText(failure: Failure, lang: Lang): string {
  const t = strings[lang];
  switch (failure.kind) {
    case 'geo': return { denied: t.geoDenied, unavailable: t.geoUnavailable, timeout: t.geoTimeout, unsupported: t.geoUnsupported }[failure.reason];
    case 'api': return failure.message;
    case 'network': return common[lang].networkError;
    case 'unknown': return common[lang].genericError;
  }
}
