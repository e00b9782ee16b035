// The catalogue of errors Cuadrante returns, with stable codes and messages in Spanish and English.
// Domain code throws DomainError with a code from here; only the HTTP edge maps it to a status.
// docs/ERRORS.md lists the same codes; a test keeps both in sync.

export type Lang = 'es' | 'en';
/** A parameter may itself be localised, e.g. the problem found in an imported feature. */
export type Localized = { es: string; en: string };
export type Params = Record<string, string | number | Localized>;

interface ErrorSpec { status: number; es: string; en: string }

export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, es: 'La solicitud no es válida: {detail}', en: 'The request is not valid: {detail}' },
  INVALID_COORDINATES: { status: 400, es: 'Coordenadas inválidas: {detail}', en: 'Invalid coordinates: {detail}' },
  INVALID_BBOX: { status: 400, es: 'bbox debe ser minLon,minLat,maxLon,maxLat con valores válidos', en: 'bbox must be minLon,minLat,maxLon,maxLat with valid values' },
  INVALID_PHONE: { status: 400, es: 'Número de teléfono inválido: {detail}', en: 'Invalid phone number: {detail}' },
  BODY_TOO_LARGE: { status: 413, es: 'El cuerpo de la solicitud es demasiado grande (máximo {limit} bytes)', en: 'The request body is too large (maximum {limit} bytes)' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, es: 'Tipo de contenido no admitido', en: 'Unsupported content type' },
  MALFORMED_JSON: { status: 400, es: 'El cuerpo no es JSON válido', en: 'The body is not valid JSON' },
  NOT_FOUND: { status: 404, es: 'No encontrado', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, es: 'No existe la ruta {method} {url}', en: 'No route {method} {url}' },
  QUADRANT_NOT_FOUND: { status: 404, es: 'No existe el cuadrante {id}', en: 'Quadrant {id} does not exist' },
  SECTOR_NOT_FOUND: { status: 404, es: 'No existe el sector {id}', en: 'Sector {id} does not exist' },
  QUADRANT_SET_NOT_FOUND: { status: 404, es: 'No existe la versión de cuadrantes {id}', en: 'Quadrant set version {id} does not exist' },
  NO_ACTIVE_QUADRANT_SET: { status: 503, es: 'Aún no hay cuadrantes cargados', en: 'No quadrants have been loaded yet' },
  AUTH_REQUIRED: { status: 401, es: 'Se requiere iniciar sesión', en: 'Authentication required' },
  INVALID_CREDENTIALS: { status: 401, es: 'Usuario o contraseña incorrectos', en: 'Wrong username or password' },
  INVALID_TOKEN: { status: 401, es: 'La sesión no es válida o expiró', en: 'The session is invalid or has expired' },
  FORBIDDEN: { status: 403, es: 'No tienes permiso para esta acción', en: 'You are not allowed to do this' },
  RATE_LIMITED: { status: 429, es: 'Demasiadas solicitudes; intenta en {seconds} s', en: 'Too many requests; try again in {seconds} s' },
  IMPORT_EMPTY: { status: 422, es: 'La colección no tiene ningún elemento', en: 'The collection has no features' },
  IMPORT_NOT_FEATURE_COLLECTION: { status: 422, es: 'El archivo no es un FeatureCollection de GeoJSON', en: 'The file is not a GeoJSON FeatureCollection' },
  IMPORT_TOO_LARGE: { status: 413, es: 'El archivo es demasiado grande (máximo {limit} bytes)', en: 'The file is too large (maximum {limit} bytes)' },
  IMPORT_INVALID_FEATURE: { status: 422, es: 'Elemento {index} ({id}): {problem}', en: 'Feature {index} ({id}): {problem}' },
  IMPORT_INVALID_CSV: { status: 422, es: 'CSV inválido en la línea {line}: {problem}', en: 'Invalid CSV at line {line}: {problem}' },
  ALERT_NOT_FOUND: { status: 404, es: 'No existe la alerta {id}', en: 'Alert {id} does not exist' },
  UNIT_NOT_FOUND: { status: 404, es: 'No existe la unidad {id}', en: 'Unit {id} does not exist' },
  INVALID_TRANSITION: { status: 409, es: 'No se puede {action} una alerta en estado {status}', en: 'Cannot {action} an alert that is {status}' },
  NOT_ASSIGNED: { status: 409, es: 'La alerta está asignada a otra unidad', en: 'The alert is assigned to another unit' },
  OUTCOME_REQUIRED: { status: 400, es: 'Indica el resultado: attended, false_alarm, nobody_found o referred', en: 'Give the outcome: attended, false_alarm, nobody_found or referred' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, es: 'Esa Idempotency-Key ya se usó con otra solicitud', en: 'That Idempotency-Key was already used with a different request' },
  WRONG_PIN: { status: 403, es: 'El PIN no es correcto', en: 'The PIN is not correct' },
  INVALID_PINS: { status: 400, es: 'Los PIN deben tener de 4 a 8 dígitos y ser distintos', en: 'PINs must have 4 to 8 digits and be different' },
  CALLSIGN_TAKEN: { status: 409, es: 'Ya existe una unidad con el indicativo {callsign}', en: 'A unit with callsign {callsign} already exists' },
  NO_UNIT_FOR_ACCOUNT: { status: 403, es: 'Esta cuenta no está vinculada a ninguna unidad', en: 'This account is not linked to a unit' },
  SHORT_CODE: { status: 400, es: '{code} es un número corto ({label}): no se puede reportar como extorsión', en: '{code} is a short code ({label}): it cannot be reported as extortion' },
  INVALID_CLABE: { status: 400, es: 'CLABE inválida: {detail}', en: 'Invalid CLABE: {detail}' },
  INVALID_CARD: { status: 400, es: 'Tarjeta inválida: {detail}', en: 'Invalid card: {detail}' },
  INVALID_HASH_PREFIX: { status: 400, es: 'El prefijo debe ser de 5 caracteres hexadecimales del SHA-256 del número', en: 'The prefix must be 5 hex characters of the SHA-256 of the number' },
  NUMBER_NOT_LISTED: { status: 404, es: 'El número {number} no tiene reportes', en: 'Number {number} has no reports' },
  INVALID_API_KEY: { status: 401, es: 'La clave de API no es válida o fue revocada', en: 'The API key is not valid or was revoked' },
  CHECKIN_NOT_FOUND: { status: 404, es: 'Este enlace de verificación no existe o ya caducó', en: 'This check-in link does not exist or has expired' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, es: 'Antes de continuar, cambia tu contraseña', en: 'Change your password before continuing' },
  USER_NOT_FOUND: { status: 404, es: 'No existe el usuario {id}', en: 'User {id} does not exist' },
  LAST_ADMIN: { status: 409, es: 'No se puede quitar ni desactivar al último administrador', en: 'The last administrator cannot be demoted or disabled' },
  PINS_LOCKED: { status: 409, es: 'No se pueden cambiar los PIN mientras tienes una alerta abierta', en: 'PINs cannot be changed while you have an open alert' },
  SERVER_BUSY: { status: 503, es: 'El servidor está ocupado; intenta en {seconds} s', en: 'The server is busy; try again in {seconds} s' },
  DESTINATION_NOT_ALLOWED: { status: 400, es: 'No se pueden enviar mensajes a {number}: solo a celulares o fijos de {countries}', en: 'Messages cannot be sent to {number}: only to mobile or landline numbers of {countries}' },
  CHECKIN_ANSWERED: { status: 409, es: 'Esta verificación ya fue respondida', en: 'This check-in has already been answered' },
  WRONG_PASSWORD: { status: 403, es: 'La contraseña actual no es correcta', en: 'The current password is not correct' },
  URI_TOO_LONG: { status: 414, es: 'Un segmento de la ruta es demasiado largo (máximo {limit} caracteres)', en: 'A path segment is too long (maximum {limit} characters)' },
  METHOD_NOT_ALLOWED: { status: 405, es: '{url} no admite {method}; admite {allow}', en: '{url} does not accept {method}; it accepts {allow}' },
  MALFORMED_REQUEST: { status: 400, es: 'La solicitud HTTP está mal formada', en: 'The HTTP request is malformed' },
  REQUEST_TIMEOUT: { status: 408, es: 'La solicitud tardó demasiado en llegar', en: 'The request took too long to arrive' },
  HEADERS_TOO_LARGE: { status: 431, es: 'Los encabezados de la solicitud son demasiado grandes', en: 'The request headers are too large' },
  SHUTTING_DOWN: { status: 503, es: 'El servidor se está deteniendo; intenta de nuevo en unos segundos', en: 'The server is shutting down; try again in a few seconds' },
  NOT_READY: { status: 503, es: 'Esta instancia no está lista: {failed}', en: 'This instance is not ready: {failed}' },
  INTERNAL: { status: 500, es: 'Error interno; el incidente quedó registrado', en: 'Internal error; it has been logged' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalogue;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Params = {},
    /** Structured details (e.g. every problem found in an import), sent to the client as-is. */
    readonly details?: unknown,
  ) {
    super(formatMessage(code, 'en', params));
    this.name = 'DomainError';
  }
  get status(): number { return errorCatalogue[this.code].status; }
  message_(lang: Lang): string { return formatMessage(this.code, lang, this.params); }
}

export function formatMessage(code: ErrorCode, lang: Lang, params: Params = {}): string {
  const template: string = errorCatalogue[code][lang];
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) return `{${k}}`;
    return typeof v === 'object' ? v[lang] : String(v);
  });
}

/** Picks Spanish unless the client prefers English (Accept-Language). Spanish first, always. */
export function negotiateLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'es';
  let best: { lang: Lang; q: number } | undefined;
  for (const part of acceptLanguage.split(',')) {
    const [tag = '', ...rest] = part.trim().toLowerCase().split(';');
    const qParam = rest.find((r) => r.trim().startsWith('q='));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    const primary = tag.split('-')[0];
    if ((primary === 'es' || primary === 'en') && Number.isFinite(q) && (!best || q > best.q)) {
      best = { lang: primary, q };
    }
  }
  return best?.lang ?? 'es';
}
