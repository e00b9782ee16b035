import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Lang } from '../shared/types.js';
import { useAction } from '../shared/useAction.js';
import { CheckinStatus } from './CheckinStatus.js';
import { strings } from './strings.js';
import type { Contact } from './types.js';
import type { Family } from './useFamily.js';

interface Props { family: Family; lang: Lang }

export function Contacts({ family, lang }: Props) {
  const t = strings[lang];
  const { contacts } = family;
  return html`
    <div class="family-card">
      <h3>${t.contactsTitle}</h3>
      <p class="family-small">${t.contactsHint}</p>
      ${contacts.phase === 'loading' && html`<p class="family-small">…</p>`}
      ${contacts.phase === 'failed' && html`<p class="family-error" role="alert">${contacts.message}</p>`}
      ${contacts.phase === 'ready' && contacts.contacts.length === 0 && html`<p class="family-small" data-testid="no-contacts">${t.noContacts}</p>`}
      ${contacts.phase === 'ready' && contacts.contacts.length > 0 && html`
        <p class="family-small">${t.askHint}</p>
        <ul class="family-contacts" data-testid="contacts">
          ${contacts.contacts.map((c) => html`<${ContactRow} key=${c.id} contact=${c} family=${family} lang=${lang} />`)}
        </ul>`}
      <${AddContact} family=${family} lang=${lang} />
    </div>`;
}

function ContactRow({ contact, family, lang }: { contact: Contact; family: Family; lang: Lang }) {
  const t = strings[lang];
  const { busy, error, run } = useAction(lang);
  const checkin = family.checkins.get(contact.id);
  return html`
    <li class="family-contact" data-testid="contact" data-contact-id=${contact.id}>
      <div class="family-contact-head">
        <span><strong data-testid="contact-name">${contact.name}</strong> <span class="family-small">${contact.phone}</span></span>
        <button type="button" class="family-link" data-testid="contact-remove" aria-label=${t.removeLabel(contact.name)}
          disabled=${busy !== null} onClick=${() => run('remove', () => family.remove(contact))}>${t.remove}</button>
      </div>
      <button type="button" class="family-ask" data-testid="ask" aria-label=${t.askLabel(contact.name)}
        disabled=${busy !== null} onClick=${() => run('ask', () => family.ask(contact))}>
        ${busy === 'ask' ? t.asking : t.ask}</button>
      ${checkin && html`<${CheckinStatus} checkin=${checkin} name=${contact.name} connection=${family.connection} lang=${lang} />`}
      ${error && html`<p class="family-error" role="alert">${error}</p>`}
    </li>`;
}

function AddContact({ family, lang }: Props) {
  const t = strings[lang];
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const { busy, error, run } = useAction(lang);
  const submit = (e: Event) => {
    e.preventDefault();
    void run('add', async () => {
      await family.add(name.trim(), phone.trim());
      setName('');
      setPhone('');
    });
  };
  return html`
    <form class="family-form" onSubmit=${submit} data-testid="add-contact">
      <label>${t.name}
        <input type="text" required maxlength="80" autocomplete="off" placeholder=${t.namePlaceholder} data-testid="contact-name-input"
          value=${name} onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} /></label>
      <label>${t.phone}
        <input type="tel" required maxlength="32" inputmode="tel" autocomplete="off" placeholder=${t.phonePlaceholder} data-testid="contact-phone-input"
          value=${phone} onInput=${(e: Event) => setPhone((e.target as HTMLInputElement).value)} /></label>
      ${error && html`<p class="family-error" role="alert" data-testid="add-contact-error">${error}</p>`}
      <button type="submit" class="family-secondary" data-testid="add-contact-submit" disabled=${busy !== null}>${busy ? t.adding : t.add}</button>
    </form>`;
}
