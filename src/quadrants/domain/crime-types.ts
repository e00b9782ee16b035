// The 19 crime types of Mexico City's quadrant statistics (SSP-DF, 2013–2015), in plain language,
// with the severity weight the threat level gives each. docs/THREAT.md explains the weights.
import type { Localized } from '../../kernel/index.js';

export interface CrimeType { label: Localized; severity: number }

/** Weight for a crime name this table does not know (a new city's file, a renamed category). */
export const DEFAULT_SEVERITY = 2;

const t = (severity: number, es: string, en: string): CrimeType => ({ severity, label: { es, en } });

/** Keyed by the official name, exactly as the SSP-DF file spells it (`C.V.` con violencia, `S.V.` sin violencia). */
export const CRIME_TYPES: Record<string, CrimeType> = {
  'HOMICIDIO DOLOSO': t(10, 'homicidio', 'murder'),
  'VIOLACION': t(9, 'violación', 'rape'),
  'LESIONES DOLOSAS POR DISPARO DE ARMA DE FUEGO': t(8, 'heridos por disparo de arma de fuego', 'gunshot injuries'),
  'ROBO A CASA HABITACION C.V.': t(5, 'robo a casa con violencia', 'home robbery with violence'),
  'ROBO DE VEHICULO AUTOMOTOR C.V.': t(5, 'robo de vehículo con violencia', 'carjacking'),
  'ROBO A TRANSEUNTE EN VIA PUBLICA C.V.': t(4, 'robo a transeúnte con violencia', 'street robbery with violence'),
  'ROBO A CUENTAHABIENTE O SUC. BANCARIA C.V.': t(4, 'robo con violencia a clientes o sucursales bancarias', 'robbery of bank customers or branches with violence'),
  'ROBO A PASAJERO A BORDO DE MICROBUS C.V.': t(4, 'robo con violencia a pasajeros de microbús', 'robbery of microbus passengers with violence'),
  'ROBO A PASAJERO A BORDO DE TAXI C.V.': t(4, 'robo con violencia a pasajeros de taxi', 'robbery of taxi passengers with violence'),
  'ROBO A PASAJERO AL INTERIOR DEL METRO C.V.': t(4, 'robo con violencia a pasajeros del Metro', 'robbery of Metro passengers with violence'),
  'ROBO A NEGOCIO C.V.': t(3, 'robo a negocio con violencia', 'business robbery with violence'),
  'ROBO A REPARTIDOR C.V.': t(3, 'robo a repartidores con violencia', 'robbery of delivery workers with violence'),
  'ROBO A TRANSPORTISTA C.V.': t(3, 'robo a transportistas con violencia', 'robbery of freight drivers with violence'),
  'ROBO A TRANSEUNTE EN VIA PUBLICA S.V.': t(1.5, 'robo a transeúnte sin violencia', 'street theft without violence'),
  'ROBO A PASAJERO A BORDO DE MICROBUS S.V.': t(1.5, 'robo sin violencia a pasajeros de microbús', 'theft from microbus passengers without violence'),
  'ROBO A PASAJERO AL INTERIOR DEL METRO S.V.': t(1.5, 'robo sin violencia a pasajeros del Metro', 'theft from Metro passengers without violence'),
  'ROBO A REPARTIDOR S.V.': t(1, 'robo a repartidores sin violencia', 'theft from delivery workers without violence'),
  'ROBO A TRANSPORTISTA S.V.': t(1, 'robo a transportistas sin violencia', 'theft from freight drivers without violence'),
  'ROBO DE VEHICULO AUTOMOTOR S.V.': t(1, 'robo de vehículo sin violencia', 'vehicle theft without violence'),
};

/** Upper case, no accents, single spaces: "Robo a casa habitación  C.V." finds its entry. */
export function crimeKey(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, ' ').trim().toUpperCase();
}

/** The known type, or the raw name as label with the default weight. */
export function crimeType(name: string): CrimeType {
  const known = CRIME_TYPES[crimeKey(name)];
  if (known) return known;
  const raw = name.trim();
  return { severity: DEFAULT_SEVERITY, label: { es: raw, en: raw } };
}
