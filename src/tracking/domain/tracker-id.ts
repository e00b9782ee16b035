// Tracker ids an attacker could find by sweeping: the id is all a tracker sends to say who it is,
// and Traccar Client 9's default is 8 random digits (10^8 tries at most, and a fleet of 500
// phones makes a hit 500 times likelier). Registering one is allowed — it may be what the device
// can do — but the admin is told, with what to do instead.
export type TrackerIdWarningCode = 'TRACKER_ID_SHORT' | 'TRACKER_ID_DIGITS_ONLY';

export interface TrackerIdWarning { code: TrackerIdWarningCode; message: { es: string; en: string } }

/** Fewer characters than this: warned as short. */
export const MIN_TRACKER_ID_LENGTH = 12;
/** Digits only and fewer than this (an IMEI has 15): warned as guessable in sequence. */
const MIN_DIGITS_ONLY_LENGTH = 16;

export function trackerIdWarnings(id: string): TrackerIdWarning[] {
  const n = [...id].length;
  if (n < MIN_TRACKER_ID_LENGTH) {
    return [{
      code: 'TRACKER_ID_SHORT',
      message: {
        es: `El identificador tiene ${n} caracteres: alguien podría encontrarlo probando identificadores al azar y enviar posiciones falsas o un SOS en nombre de la unidad. En Traccar Client escribe uno propio de al menos ${MIN_TRACKER_ID_LENGTH} caracteres (mejor 16 letras y números al azar) y registra ese.`,
        en: `The identifier has ${n} characters: someone could find it by trying identifiers at random and send fake positions or an SOS in the unit's name. In Traccar Client, type your own of at least ${MIN_TRACKER_ID_LENGTH} characters (better, 16 random letters and digits) and register that one.`,
      },
    }];
  }
  if (/^\d+$/.test(id) && n < MIN_DIGITS_ONLY_LENGTH) {
    return [{
      code: 'TRACKER_ID_DIGITS_ONLY',
      message: {
        es: 'El identificador solo tiene dígitos, como un IMEI o un número de serie: se lee en el equipo o en su caja, y los de un mismo lote van en serie. Si el dispositivo lo permite, usa uno de 16 letras y números al azar.',
        en: 'The identifier is digits only, like an IMEI or a serial number: it can be read off the device or its box, and a batch runs in sequence. If the device allows it, use 16 random letters and digits.',
      },
    }];
  }
  return [];
}
