import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Checkin, Contact } from '../family/types.js';
import { hourMinute } from '../shared/i18n.js';
import type { Lang } from '../shared/types.js';
import { useAction } from '../shared/useAction.js';
import { strings } from './strings.js';
import type { useVerify } from './useVerify.js';

type Verify = ReturnType<typeof useVerify>;

interface Props { lang: Lang; verify: Verify }

/** Step 3's body: one tap "¿Estás bien?" and a call button per trusted contact, or a form to add one. */
export function Verify({ lang, verify }: Props) {
  const t = strings[lang].verify;
  const { contacts } = verify;
  if (contacts.phase === 'loading') return html`<p class="small" role="status">${t.loading}</p>`;
  if (contacts.phase === 'failed') return html`<p class="error" role="alert">${contacts.message}</p>`;
  return html`
    <div class="verify" data-testid="verify">
      ${contacts.contacts.length === 0 && html`<p data-testid="no-contacts">${t.none}</p>`}
      <ul class="contacts-list">
        ${contacts.contacts.map((c) => html`<${ContactRow} key=${c.id} lang=${lang} contact=${c} checkin=${verify.checkins.get(c.id) ?? null} onAsk=${verify.ask} />`)}
      </ul>
      <${AddContact} lang=${lang} onAdd=${verify.add} more=${contacts.contacts.length > 0} />
    </div>`;
}

function ContactRow({ lang, contact, checkin, onAsk }: { lang: Lang; contact: Contact; checkin: Checkin | null; onAsk: Verify['ask'] }) {
  const t = strings[lang].verify;
  const { busy, error, run } = useAction(lang);
  const ask = () => run('ask', () => onAsk(contact));
  const name = checkin?.contactName || contact.name;
  return html`
    <li class="contact" data-testid="contact" data-contact-id=${contact.id}>
      <p class="contact-name">${contact.name}</p>
      <div class="row">
        <button type="button" class="primary" data-testid="checkin-ask" disabled=${busy !== null || checkin?.status === 'pending'} onClick=${ask}>
          ${busy ? t.asking : t.ask}
        </button>
        <a class="call" href=${`tel:${contact.phone}`} data-testid="contact-call">${t.call(contact.name)}</a>
      </div>
      ${checkin && html`
        <p class=${`checkin checkin-${checkin.status}`} role="status" data-testid="checkin-status" data-status=${checkin.status}>
          ${t.status[checkin.status](name)}${checkin.answeredAt ? t.at(hourMinute(checkin.answeredAt, lang)) : ''}
        </p>`}
      ${error && html`<p class="error" role="alert">${error}</p>`}
    </li>`;
}

function AddContact({ lang, onAdd, more }: { lang: Lang; onAdd: Verify['add']; more: boolean }) {
  const t = strings[lang].verify;
  const [open, setOpen] = useState(!more);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const { busy, error, run } = useAction(lang);
  if (!open) return html`<button type="button" class="link-button" onClick=${() => setOpen(true)}>${t.addAnother}</button>`;

  const submit = (e: Event) => {
    e.preventDefault();
    void run('add', async () => {
      await onAdd(name.trim(), phone.trim());
      setName('');
      setPhone('');
      setOpen(false);
    });
  };
  return html`
    <form class="add-contact" onSubmit=${submit} data-testid="add-contact">
      <label for="contact-name">${t.name}</label>
      <input id="contact-name" data-testid="contact-name" required maxlength="80" autocomplete="off" value=${name}
        onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} />
      <label for="contact-phone">${t.phone}</label>
      <input id="contact-phone" data-testid="contact-phone" type="tel" inputmode="tel" required maxlength="32" autocomplete="off" value=${phone}
        onInput=${(e: Event) => setPhone((e.target as HTMLInputElement).value)} />
      ${error && html`<p class="error" role="alert" data-testid="add-contact-error">${error}</p>`}
      <button type="submit" class="secondary" data-testid="contact-add" disabled=${busy !== null}>${busy ? t.adding : t.add}</button>
    </form>`;
}
