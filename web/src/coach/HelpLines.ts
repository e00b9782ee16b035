import { html } from 'htm/preact';
import type { Lang } from '../shared/types.js';
import { strings } from './strings.js';

/** The national lines, one tap each: anonymous report (089), the Citizens' Council, emergencies. */
export function HelpLines({ lang, with911 = false }: { lang: Lang; with911?: boolean }) {
  const t = strings[lang].lines;
  const line = (href: string, number: string, label: string, testId: string, cls = 'call line') => html`
    <li><a class=${cls} href=${href} data-testid=${testId}><span class="number">${number}</span> <span>${label}</span></a></li>`;
  return html`
    <ul class="lines" data-testid="help-lines">
      ${line('tel:089', '089', t.l089, 'line-089')}
      ${line('tel:+525555335533', '55 5533 5533', t.consejo, 'line-consejo')}
      ${with911 && line('tel:911', '911', t.c911, 'line-911', 'call call-911')}
    </ul>`;
}
