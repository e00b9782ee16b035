import { html } from 'htm/preact';
import type { Lang } from '../shared/types.js';
import { strings } from './strings.js';
import type { Level } from './types.js';

/** The level in words on its colour (never colour alone). */
export function LevelBadge({ level, lang }: { level: Level; lang: Lang }) {
  return html`<span class="level" data-level=${level} data-testid="level">${strings[lang].levels[level] ?? level}</span>`;
}
