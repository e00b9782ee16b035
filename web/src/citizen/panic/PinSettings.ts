import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../../shared/api.js';
import { ensureDeviceToken, forgetDeviceIfRefused } from '../../shared/device.js';
import { setPins } from '../../shared/dispatchApi.js';
import { failureMessage } from '../../shared/errors.js';
import type { Lang } from '../../shared/types.js';
import { pinsAreSet, rememberPinsSet } from './store.js';
import { panicStrings } from './strings.js';

const PIN = /^[0-9]{4,8}$/;

/**
 * Cancel and duress PINs, set ahead of time. Only the fact that PINs exist is kept locally. Once
 * they exist, changing them needs the current cancel PIN (the server says so too, should this
 * device have forgotten that PINs were set).
 */
export function PinSettings({ lang }: { lang: Lang }) {
  const t = panicStrings[lang];
  const [currentPin, setCurrentPin] = useState('');
  const [cancelPin, setCancelPin] = useState('');
  const [duressPin, setDuressPin] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [needCurrent, setNeedCurrent] = useState(pinsAreSet);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!PIN.test(cancelPin) || !PIN.test(duressPin) || cancelPin === duressPin || (needCurrent && !PIN.test(currentPin))) {
      setMessage({ ok: false, text: t.pinsInvalid });
      return;
    }
    setBusy(true);
    try {
      await setPins(cancelPin, duressPin, needCurrent ? currentPin : null, { lang, token: await ensureDeviceToken(lang) });
      rememberPinsSet();
      setNeedCurrent(true);
      setCurrentPin('');
      setCancelPin('');
      setDuressPin('');
      setMessage({ ok: true, text: t.pinsSaved });
    } catch (err) {
      forgetDeviceIfRefused(err);
      if (err instanceof ApiError && err.code === 'WRONG_PIN') {
        setNeedCurrent(true);
        setCurrentPin('');
      }
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
      ${needCurrent && html`<p class="small">${t.pinsSet}</p>`}
      <form onSubmit=${save}>
        ${needCurrent && field('pin-current', t.currentPin, currentPin, setCurrentPin)}
        ${field('pin-cancel', t.cancelPin, cancelPin, setCancelPin)}
        ${field('pin-duress', t.duressPin, duressPin, setDuressPin)}
        <button type="submit" class="secondary" data-testid="pins-save" disabled=${busy}>${t.savePins}</button>
        ${message && html`<p class=${message.ok ? 'ok' : 'error'} role="status" data-testid="pins-message">${message.text}</p>`}
      </form>
    </details>`;
}
