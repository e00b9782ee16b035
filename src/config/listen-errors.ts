// A port that cannot be bound is a setting to change, not a crash: name the setting in one line.

interface ListenError { code?: unknown; port?: unknown }

const SETTINGS = [
  { key: 'PORT', what: 'HTTP', port: (c: { port: number }) => c.port, alternative: '' },
  { key: 'CUADRANTE_OSMAND_PORT', what: 'OsmAnd (Traccar Client)', port: (c: { osmandPort: number }) => c.osmandPort, alternative: ', or 0 to turn that listener off' },
] as const;

/** One line for a listen failure on a configured port (EADDRINUSE, EACCES), or null for any other error. */
export function describeListenError(err: unknown, config: { host: string; port: number; osmandPort: number }): string | null {
  const { code, port } = (err ?? {}) as ListenError;
  if (code !== 'EADDRINUSE' && code !== 'EACCES') return null;
  const setting = SETTINGS.find((s) => s.port(config) === port);
  if (!setting) return null;
  const problem = code === 'EADDRINUSE'
    ? `${setting.what} port ${config.host}:${String(port)} is already in use (is another Cuadrante running?)`
    : `${setting.what} port ${String(port)} needs privileges this process does not have`;
  return `cuadrante: ${problem}: set ${setting.key} to a free port${setting.alternative}.`;
}
