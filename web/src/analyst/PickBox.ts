import { html } from 'htm/preact';
import type { Lang } from '../shared/types.js';
import { strings } from './strings.js';

interface Props { number: string; picked: ReadonlySet<string>; onPick: (n: string, on: boolean) => void; lang: Lang; withLabel?: boolean }

/** Ticks a number into (or out of) the case file. */
export function PickBox({ number, picked, onPick, lang, withLabel = false }: Props) {
  const t = strings[lang];
  const box = html`<input type="checkbox" data-testid="pick" checked=${picked.has(number)}
    aria-label=${withLabel ? undefined : t.selectNumber(number)}
    onChange=${(e: Event) => onPick(number, (e.target as HTMLInputElement).checked)} />`;
  return withLabel ? html`<label class="pick">${box} ${t.addToCase}</label>` : box;
}
