import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ensureDeviceToken, forgetDeviceIfRefused } from '../../shared/device.js';
import { setPins } from '../../shared/dispatchApi.js';
import { failureMessage } from '../../shared/errors.js';
import type { Lang } from '../../shared/types.js';
import { pinsAreSet, rememberPinsSet } from './store.js';
import { panicStrings } from './strings.js';

const PIN = /^[0-9]{4,8}$/;

/** Cancel and duress PINs, set ahead of time. Only the fact that PINs exist is kept locally. */
export function PinSettings({ lang }: { lang: Lang }) {
  const t = panicStrings[lang];
  const [cancelPin, setCancelPin] = useState('');
  const [duressPin, setDuressPin] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!PIN.test(cancelPin) || !PIN.test(duressPin) || cancelPin === duressPin) {
      setMessage({ ok: false, text: t.pinsInvalid });
      return;
    }
    setBusy(true);
    try {
      await setPins(cancelPin, duressPin, { lang, token: await ensureDeviceToken(lang) });
      rememberPinsSet();
      setCancelPin('');
      setDuressPin('');
      setMessage({ ok: true, text: t.pinsSaved });
    } catch (err) {
      forgetDeviceIfRefused(err);
      setMessage({ ok: false, text: failureMessage(err, lang) });
    } finally {
      setBusy(false);
    }
  };

  const field = (id: string, label: string, value: string, set: (v: string) => void) => html`
    <label for=${id}>${label}</label>
    <input id=${id} data-testid=${id} type="password" inputmode="numeric" autocomplete="off" pattern="[0-9]{4,8}"
      minlength="4" maxlength="8" required value=${value} onInput=${(e: Event) => set((e.target as HTMLInputElement).value)} />`;

  return html`
    <details class="pin-settings" data-testid="pin-settings">
      <summary>${t.settings}</summary>
      <p class="small">${t.settingsIntro}</p>
      ${pinsAreSet() && html`<p class="small">${t.pinsSet}</p>`}
      <form onSubmit=${save}>
        ${field('pin-cancel', t.cancelPin, cancelPin, setCancelPin)}
        ${field('pin-duress', t.duressPin, duressPin, setDuressPin)}
        <button type="submit" class="secondary" data-testid="pins-save" disabled=${busy}>${t.savePins}</button>
        ${message && html`<p class=${message.ok ? 'ok' : 'error'} role="status" data-testid="pins-message">${message.text}</p>`}
      </form>
    </details>`;
}
