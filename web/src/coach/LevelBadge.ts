import { html } from 'htm/preact';
import { defineStrings, pick } from '../shared/i18n.js';
import type { ReputationLevel } from '../shared/numbers.js';
import type { Lang, Localized } from '../shared/types.js';
import './level.css';

// A number's reputation in plain words, with colour (never colour alone). Used by the call coach
// after a report and by the citizen page's private check.

const LEVEL_STRINGS = defineStrings({
  es: {
    name: { none: 'Sin reportes', suspicious: 'Sospechoso', probable: 'Probable extorsión', confirmed: 'Extorsión confirmada', spoofed: 'Número suplantado' },
    advice: {
      none: 'Nadie ha reportado este número. Eso no lo hace seguro: si te piden dinero o datos, cuelga.',
      suspicious: 'Alguien lo reportó como posible extorsión. No des datos ni dinero.',
      probable: 'Varias personas lo reportaron como extorsión. No contestes; si llama, cuelga.',
      confirmed: 'Analistas confirmaron que este número se usa para extorsionar. No contestes.',
      spoofed: 'Es un número legítimo (banco, gobierno) que los delincuentes falsifican. Cuelga y llama tú al número oficial.',
    },
    level: 'Nivel',
  },
  en: {
    name: { none: 'No reports', suspicious: 'Suspicious', probable: 'Probable extortion', confirmed: 'Confirmed extortion', spoofed: 'Spoofed number' },
    advice: {
      none: 'Nobody has reported this number. That does not make it safe: if they ask for money or details, hang up.',
      suspicious: 'Someone reported it as possible extortion. Give no details and no money.',
      probable: 'Several people reported it as extortion. Do not answer; if it calls, hang up.',
      confirmed: 'Analysts confirmed this number is used for extortion. Do not answer.',
      spoofed: 'It is a legitimate number (a bank, the government) that criminals fake. Hang up and call the official number yourself.',
    },
    level: 'Level',
  },
});

const COLORS: Record<ReputationLevel, { bg: string; fg: string }> = {
  none: { bg: '#e3e7ec', fg: '#111418' },
  suspicious: { bg: '#fee08b', fg: '#111418' },
  probable: { bg: '#f46d43', fg: '#111418' },
  confirmed: { bg: '#a50026', fg: '#ffffff' },
  spoofed: { bg: '#4b2a84', fg: '#ffffff' },
};

export const levelName = (level: ReputationLevel, lang: Lang): string => LEVEL_STRINGS[lang].name[level] ?? level;

interface Props { level: ReputationLevel; lang: Lang; explanation?: Localized | null; testId: string }

export function LevelBadge({ level, lang, explanation, testId }: Props) {
  const t = LEVEL_STRINGS[lang];
  const color = COLORS[level] ?? COLORS.none;
  return html`
    <div class="number-level" data-testid=${testId} data-level=${level}>
      <p class="level-badge" style=${{ background: color.bg, color: color.fg }}>
        ${t.level}: <strong data-testid=${`${testId}-name`}>${levelName(level, lang)}</strong>
      </p>
      <p class="level-advice">${t.advice[level] ?? ''}</p>
      ${explanation && html`<p class="level-explanation small" data-testid=${`${testId}-explanation`}>${pick(explanation, lang)}</p>`}
    </div>`;
}
