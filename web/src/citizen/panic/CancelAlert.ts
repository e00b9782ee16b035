import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Lang } from '../../shared/types.js';
import { pinsAreSet } from './store.js';
import { panicStrings } from './strings.js';
import type { CancelResult } from './useFollow.js';

interface Props { lang: Lang; onCancel: (pin?: string) => Promise<CancelResult> }

type Step = { step: 'closed' } | { step: 'confirm' } | { step: 'pin'; error: string } | { step: 'busy'; pin: boolean };

/**
 * "I'm OK": a confirmation, or the PIN when this device set PINs (also when the server says one
 * is needed). Cancelling with the duress PIN looks exactly the same here, by design.
 */
export function CancelAlert({ lang, onCancel }: Props) {
  const t = panicStrings[lang];
  const [state, setState] = useState<Step>({ step: 'closed' });
  const [pin, setPin] = useState('');

  const submit = async (withPin: boolean) => {
    setState({ step: 'busy', pin: withPin });
    const result = await onCancel(withPin ? pin : undefined);
    if (result.ok) return;
    setPin('');
    setState(result.needPin || withPin ? { step: 'pin', error: withPin ? result.message : '' } : { step: 'confirm' });
  };

  if (state.step === 'closed') {
    return html`
      <button type="button" class="secondary cancel-alert" data-testid="alert-cancel"
        onClick=${() => setState(pinsAreSet() ? { step: 'pin', error: '' } : { step: 'confirm' })}>${t.cancel}</button>`;
  }
  if (state.step === 'confirm' || (state.step === 'busy' && !state.pin)) {
    return html`
      <div class="cancel-box">
        <p>${t.cancelConfirm}</p>
        <div class="row">
          <button type="button" class="secondary" data-testid="alert-cancel-confirm" disabled=${state.step === 'busy'} onClick=${() => submit(false)}>${t.cancelYes}</button>
          <button type="button" class="link-button" onClick=${() => setState({ step: 'closed' })}>${t.keep}</button>
        </div>
      </div>`;
  }
  return html`
    <form class="cancel-box" onSubmit=${(e: Event) => { e.preventDefault(); void submit(true); }}>
      <label for="cancel-pin">${t.pinLabel}</label>
      <input id="cancel-pin" data-testid="alert-cancel-pin" type="password" inputmode="numeric" autocomplete="off"
        pattern="[0-9]{4,8}" minlength="4" maxlength="8" required value=${pin}
        onInput=${(e: Event) => setPin((e.target as HTMLInputElement).value)} />
      ${state.step === 'pin' && state.error && html`<p class="error" role="alert">${state.error}</p>`}
      <div class="row">
        <button type="submit" class="secondary" data-testid="alert-cancel-submit" disabled=${state.step === 'busy'}>${t.pinSubmit}</button>
        <button type="button" class="link-button" onClick=${() => setState({ step: 'closed' })}>${t.keep}</button>
      </div>
    </form>`;
}
