import { defineStrings } from '../shared/i18n.js';
import type { ShortCodeService } from '../../../src/rules/index.js';

/** The "¿Quién me llama?" box on the citizen page and its link to the call coach. */
export const checkStrings = defineStrings({
  es: {
    title: '¿Quién me llama?',
    intro: 'Consulta si un número fue reportado por extorsión.',
    label: 'Número',
    placeholder: '55 1234 5678',
    submit: 'Consultar',
    checking: 'Consultando…',
    privacy: 'Tu consulta es privada: el número no sale de tu teléfono, solo un fragmento de su huella cifrada.',
    short: { emergency: 'es un número corto de emergencia', report: 'es un número corto de denuncia', other: 'es un número corto' } satisfies Record<ShortCodeService, string>,
    shortTail: 'No es un número de extorsión. Pero cuidado: el identificador de llamadas se puede falsificar.',
    local: 'Escribe el número completo de 10 dígitos (con la lada).',
    malformed: 'No parece un número de teléfono. Revísalo.',
    reportIt: 'Si te llamaron, repórtalo',
    onCall: '¿Te están llamando ahora? Te guiamos paso a paso',
  },
  en: {
    title: 'Who is calling me?',
    intro: 'Check whether a number has been reported for extortion.',
    label: 'Number',
    placeholder: '55 1234 5678',
    submit: 'Check',
    checking: 'Checking…',
    privacy: 'Your check is private: the number never leaves your phone, only a fragment of its scrambled fingerprint.',
    short: { emergency: 'is an emergency short code', report: 'is a short code for reporting crime', other: 'is a short code' } satisfies Record<ShortCodeService, string>,
    shortTail: 'It is not an extortion number. But beware: caller ID can be faked.',
    local: 'Type the full 10-digit number (with the area code).',
    malformed: 'That does not look like a phone number. Please check it.',
    reportIt: 'If they called you, report it',
    onCall: 'Getting a call right now? We guide you step by step',
  },
});
