// The kinds of phone extortion and fraud a citizen can report, with the labels the pages and the
// reputation explanations use. The ids are stable (stored with every report); the labels are not.
import type { Lang, Localized } from '../../kernel/index.js';

interface ScamTypeSpec {
  label: Localized;
  /** One line a citizen recognises their call in, for the report form. */
  hint: Localized;
}

export const SCAM_TYPES = {
  virtual_kidnapping: {
    label: { es: 'Secuestro virtual', en: 'Virtual kidnapping' },
    hint: { es: 'Dicen tener a un familiar y exigen un depósito inmediato; a veces se oye a alguien llorar.', en: 'They claim to hold a relative and demand a deposit now; sometimes someone is heard crying.' },
  },
  fake_relative: {
    label: { es: 'Falso familiar en apuros', en: 'Fake relative in trouble' },
    hint: { es: '"¿Sabes quién habla?": un supuesto pariente detenido, accidentado o varado pide dinero.', en: '"Guess who this is?": a supposed relative, arrested, injured or stranded, asks for money.' },
  },
  fake_lawyer: {
    label: { es: 'Falso abogado o notario', en: 'Fake lawyer or notary' },
    hint: { es: 'Un "licenciado" pide pagar una fianza, una multa o un trámite urgente.', en: 'A "lawyer" asks for bail, a fine or an urgent fee.' },
  },
  cartel_fee: {
    label: { es: 'Cobro de piso / cuota de cártel', en: '"Cobro de piso" / cartel fee' },
    hint: { es: 'Dicen ser de un cártel y exigen una cuota por "protección" o por dejarte trabajar.', en: 'They claim to be a cartel and demand a "protection" fee to let you work.' },
  },
  fake_official: {
    label: { es: 'Falso funcionario: SAT, gobierno, policía', en: 'Fake official: tax office (SAT), government, police' },
    hint: { es: 'Se hacen pasar por el SAT, una dependencia o la policía y piden datos o un pago.', en: 'They pose as the tax office, an agency or the police and ask for data or a payment.' },
  },
  fake_tech_support: {
    label: { es: 'Falso soporte técnico', en: 'Fake tech support' },
    hint: { es: 'Un "técnico" del banco o de una empresa pide códigos, contraseñas o acceso remoto.', en: 'A "technician" from a bank or company asks for codes, passwords or remote access.' },
  },
  prize: {
    label: { es: 'Premio o sorteo', en: 'Prize or lottery' },
    hint: { es: 'Ganaste algo, pero antes debes pagar impuestos, envío o una recarga.', en: 'You won something, but must first pay tax, shipping or a top-up.' },
  },
  romance: {
    label: { es: 'Estafa romántica', en: 'Romance scam' },
    hint: { es: 'Una relación a distancia que termina pidiendo dinero.', en: 'A long-distance relationship that ends up asking for money.' },
  },
  deportation_threat: {
    label: { es: 'Amenaza de deportación o migración', en: 'Deportation or immigration threat' },
    hint: { es: 'Dicen ser de migración y amenazan con deportarte o a un familiar si no pagas.', en: 'They claim to be immigration and threaten to deport you or a relative unless you pay.' },
  },
  illegitimate_debt_collection: {
    label: { es: 'Cobranza ilegítima', en: 'Illegitimate debt collection' },
    hint: { es: 'Cobran una deuda inexistente o con amenazas a ti o a tus contactos.', en: 'They collect a debt that does not exist, or with threats to you or your contacts.' },
  },
  predatory_loan_app: {
    label: { es: 'App de préstamos abusiva', en: 'Predatory loan app' },
    hint: { es: 'Una app de préstamos que usa tus contactos o fotos para presionarte.', en: 'A loan app that uses your contacts or photos to pressure you.' },
  },
  other: {
    label: { es: 'Otro', en: 'Other' },
    hint: { es: 'Otro tipo de extorsión o fraude telefónico.', en: 'Another kind of phone extortion or fraud.' },
  },
} as const satisfies Record<string, ScamTypeSpec>;

export type ScamType = keyof typeof SCAM_TYPES;

/** In declaration order: the order forms list them and the index reputation counts use. */
export const SCAM_TYPE_IDS = Object.keys(SCAM_TYPES) as ScamType[];

export const isScamType = (value: unknown): value is ScamType =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(SCAM_TYPES, value);

/** The label as it reads inside a sentence ("sobre todo secuestro virtual"). */
export function scamTypePhrase(type: ScamType, lang: Lang): string {
  if (type === 'other') return lang === 'es' ? 'otros tipos' : 'other kinds';
  const label: string = SCAM_TYPES[type].label[lang];
  return label.charAt(0).toLowerCase() + label.slice(1);
}
