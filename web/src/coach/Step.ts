import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import type { Lang } from '../shared/types.js';
import { strings } from './strings.js';

interface Props { n: number; lang: Lang; title: string; body?: string; points?: readonly string[]; children?: ComponentChildren; id?: string }

/** One numbered step: a short imperative title, a line of why, then what to do. */
export function Step({ n, lang, title, body, points, children, id }: Props) {
  return html`
    <li class="step-card" data-testid=${`step-${n}`} id=${id} aria-labelledby=${`step-${n}-title`}>
      <p class="step-n" aria-hidden="true">${n}</p>
      <div class="step-body">
        <h2 id=${`step-${n}-title`}><span class="visually-hidden">${strings[lang].step(n)}: </span>${title}</h2>
        ${body && html`<p>${body}</p>`}
        ${points && html`<ul class="points">${points.map((p) => html`<li key=${p}>${p}</li>`)}</ul>`}
        ${children}
      </div>
    </li>`;
}
