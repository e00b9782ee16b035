import { html } from 'htm/preact';
import { common, pick } from '../shared/i18n.js';
import { threatColor, threatTextColor } from '../shared/threat.js';
import type { Contact, Lang, LocatedQuadrant, Threat } from '../shared/types.js';
import { strings } from './strings.js';

interface Props { quadrant: LocatedQuadrant; lang: Lang }

/** A quadrant's own number comes before the city-wide default line. */
const byDirectFirst = (a: Contact, b: Contact) => Number(a.isDefault) - Number(b.isDefault);

export function QuadrantCard({ quadrant, lang }: Props) {
  const t = strings[lang];
  return html`
    <article class="card" data-testid="quadrant-card">
      <p class="eyebrow">${t.quadrant}</p>
      <div class="card-head">
        <h2 class="quadrant-id" data-testid="quadrant-id">${quadrant.id}</h2>
        <${ThreatBadge} threat=${quadrant.threat} lang=${lang} />
      </div>
      <dl class="facts">
        <div><dt>${t.sector}</dt><dd data-testid="quadrant-sector">${quadrant.sector}</dd></div>
        <div><dt>${t.zone}</dt><dd data-testid="quadrant-zone">${quadrant.zone}</dd></div>
        <div><dt>${t.alcaldia}</dt><dd data-testid="quadrant-alcaldia">${quadrant.alcaldia}</dd></div>
      </dl>
      <${Contacts} contacts=${quadrant.contacts} id=${quadrant.id} lang=${lang} />
      <p class="explanation" data-testid="threat-explanation">${pick(quadrant.threat.explanation, lang)}</p>
    </article>`;
}

function Contacts({ contacts, id, lang }: { contacts: Contact[]; id: string; lang: Lang }) {
  const t = strings[lang];
  return html`
    <div class="contacts">
      <h3>${t.callQuadrant}</h3>
      <ul class="phones">
        ${[...contacts].sort(byDirectFirst).map((c) => html`
          <li key=${c.phone}>
            <a class="call" href=${'tel:' + c.phone} data-testid="quadrant-phone">
              ${t.call} <span class="number">${c.display}</span>
            </a>
            <span class="phone-label">${pick(c.label, lang)}</span>
          </li>`)}
      </ul>
      <p class="mention" data-testid="quadrant-mention">${t.mention(id)}</p>
      <${Call911} lang=${lang} />
    </div>`;
}

export function Call911({ lang }: { lang: Lang }) {
  return html`
    <p class="fallback">${strings[lang].noAnswer}
      <a class="call call-911" href="tel:911" data-testid="call-911">${common[lang].call911}</a>
    </p>`;
}

function ThreatBadge({ threat, lang }: { threat: Threat; lang: Lang }) {
  const style = { background: threatColor(threat.level), color: threatTextColor(threat.level) };
  return html`
    <p class="threat" data-testid="threat-level" data-level=${threat.level} style=${style}>
      ${strings[lang].threatLevel}: <strong>${pick(threat.label, lang)}</strong>
    </p>`;
}
