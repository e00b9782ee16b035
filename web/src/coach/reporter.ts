// A random id for this browser, sent as X-Device-Id with extortion reports so the server can
// count independent reporters without an account. It identifies nothing else: it is not the
// panic button's device credential, and it never leaves with anything but a report.

const KEY = 'cuadrante.reporterId';
let fallback: string | null = null;

function fresh(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function reporterId(): string {
  try {
    const known = localStorage.getItem(KEY);
    if (known && /^[0-9a-f]{32}$/.test(known)) return known;
    const id = fresh();
    localStorage.setItem(KEY, id);
    return id;
  } catch {
    fallback ??= fresh(); // storage disabled: one id for this page's life
    return fallback;
  }
}
