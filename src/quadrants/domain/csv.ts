// CSV readers for the official statistics: crimes per quadrant per month, and residents per quadrant.
// Pure text in, records out: decompression and file access belong to the caller.
import { DomainError, type Localized } from '../../kernel/index.js';

export interface CrimeRecord { quadrant: string; crime: string; month: string; count: number }

/** The quadrant value the official crime file uses for reports with no quadrant. */
export const NO_QUADRANT = '(EN BLANCO)';

/** One problem per line is enough to fix a file; a broken file is not worth a million messages. */
export const MAX_CSV_PROBLEMS = 100;

export interface CsvProblem { line: number; problem: Localized }

interface CsvRow { line: number; fields: string[] }

/**
 * RFC 4180: comma separated, fields optionally in double quotes, `""` is a quote inside quotes,
 * quoted fields may span lines. `line` is the 1-based line on which the record starts.
 * Blank lines are skipped; a leading BOM is ignored; LF, CRLF and CR line ends are accepted.
 */
export function parseCsvRows(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const cursor = { i: text.charCodeAt(0) === 0xfeff ? 1 : 0, line: 1 };
  while (cursor.i < text.length) {
    const line = cursor.line;
    const fields = readSimpleRecord(text, cursor) ?? readQuotedRecord(text, cursor);
    if (fields.length > 1 || fields[0] !== '') rows.push({ line, fields });
  }
  return rows;
}

interface Cursor { i: number; line: number }

/** Fast path for the common record: one line, no quotes, no stray CR. Null when it does not apply. */
function readSimpleRecord(text: string, at: Cursor): string[] | null {
  const nl = text.indexOf('\n', at.i);
  const end = nl < 0 ? text.length : nl;
  const stop = end > at.i && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
  const segment = text.slice(at.i, stop);
  if (segment.includes('"') || segment.includes('\r')) return null;
  at.i = end + 1;
  at.line++;
  return segment.split(',');
}

function readQuotedRecord(text: string, at: Cursor): string[] {
  const fields: string[] = [];
  let field = '';
  let quotedFrom = 0;
  let i = at.i;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quotedFrom) {
      if (c !== '"') {
        if (c === '\n') at.line++;
        field += c;
      } else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quotedFrom = 0;
        while (text[i + 1] === ' ' || text[i + 1] === '\t') i++;
        if (!/^[,\r\n]?$/.test(text[i + 1] ?? '')) throw csvError(at.line, TEXT_AFTER_QUOTE);
      }
    } else if (c === '"') {
      // Spaces before an opening quote are tolerated (hand-edited files); other text is not.
      if (field.trim() !== '') throw csvError(at.line, QUOTE_INSIDE_FIELD);
      field = '';
      quotedFrom = at.line;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      break;
    } else {
      field += c;
    }
  }
  if (quotedFrom) throw csvError(quotedFrom, { es: 'comillas sin cerrar', en: 'unterminated quoted field' });
  fields.push(field);
  at.i = i + 1;
  at.line++;
  return fields;
}

const TEXT_AFTER_QUOTE: Localized = {
  es: 'texto después de la comilla de cierre de un campo',
  en: 'text after the closing quote of a field',
};

const QUOTE_INSIDE_FIELD: Localized = {
  es: 'comilla en medio de un campo sin comillas (encierra el campo entre comillas y duplica las internas)',
  en: 'quote inside an unquoted field (quote the whole field and double the inner quotes)',
};

/** Columns by canonical name, each with the header spellings accepted for it. */
type ColumnSpec<K extends string> = Record<K, readonly string[]>;

const CRIME_COLUMNS = {
  quadrant: ['cuadrante', 'quadrant'],
  crime: ['crime', 'delito'],
  month: ['month', 'mes'],
  count: ['count', 'cantidad', 'total'],
} as const satisfies ColumnSpec<string>;

const POPULATION_COLUMNS = {
  quadrant: ['cuadrante', 'quadrant'],
  population: ['population', 'poblacion', 'población'],
} as const satisfies ColumnSpec<string>;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const isCount = (s: string): boolean => /^\d+$/.test(s) && Number.isSafeInteger(Number(s));

/** `cuadrante,crime,month,count`, one row per quadrant, crime type and month (YYYY-MM). */
export function parseCrimesCsv(text: string): CrimeRecord[] {
  const { header, rows } = withHeader(text, CRIME_COLUMNS);
  const problems = new ProblemList();
  const records: CrimeRecord[] = [];
  const intern = interner();
  for (const row of rows) {
    const cells = cellsOf(row, header, problems);
    if (!cells) continue;
    const { quadrant, crime, month, count } = cells;
    if (quadrant === '') problems.add(row.line, required('cuadrante'));
    else if (crime === '') problems.add(row.line, required('crime'));
    else if (!MONTH.test(month)) problems.add(row.line, badMonth(month));
    else if (!isCount(count)) problems.add(row.line, badCount('count', count));
    else records.push({ quadrant: intern(quadrant), crime: intern(crime), month: intern(month), count: Number(count) });
  }
  problems.throwIfAny();
  return records;
}

/** `cuadrante,sector,population` (any extra columns are ignored). */
export function parsePopulationCsv(text: string): Map<string, number> {
  const { header, rows } = withHeader(text, POPULATION_COLUMNS);
  const problems = new ProblemList();
  const population = new Map<string, number>();
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const cells = cellsOf(row, header, problems);
    if (!cells) continue;
    const { quadrant, population: value } = cells;
    const seenAt = firstLine.get(quadrant);
    if (quadrant === '') problems.add(row.line, required('cuadrante'));
    else if (!isCount(value)) problems.add(row.line, badCount('population', value));
    else if (seenAt !== undefined) {
      problems.add(row.line, {
        es: `el cuadrante «${quadrant}» ya aparece en la línea ${seenAt}`,
        en: `quadrant "${quadrant}" already appears at line ${seenAt}`,
      });
    } else {
      population.set(quadrant, Number(value));
      firstLine.set(quadrant, row.line);
    }
  }
  problems.throwIfAny();
  return population;
}

/** Tens of thousands of rows repeat a few hundred names: keep one copy of each. */
function interner(): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    const known = seen.get(s);
    if (known !== undefined) return known;
    seen.set(s, s);
    return s;
  };
}

interface Header<K extends string> { index: Record<K, number>; width: number }

function withHeader<K extends string>(text: string, spec: ColumnSpec<K>): { header: Header<K>; rows: CsvRow[] } {
  const [first, ...rows] = parseCsvRows(text);
  if (!first) throw csvError(1, { es: 'el archivo está vacío; falta el encabezado', en: 'the file is empty; the header is missing' });
  const names = first.fields.map((f) => f.trim().toLowerCase());
  const index = {} as Record<K, number>;
  for (const key of Object.keys(spec) as K[]) {
    const at = names.findIndex((n) => spec[key].includes(n));
    if (at < 0) {
      const wanted = spec[key][0] ?? key;
      throw csvError(first.line, {
        es: `falta la columna «${wanted}» en el encabezado (encontré: ${first.fields.join(', ')})`,
        en: `the header has no "${wanted}" column (found: ${first.fields.join(', ')})`,
      });
    }
    index[key] = at;
  }
  return { header: { index, width: first.fields.length }, rows };
}

function cellsOf<K extends string>(row: CsvRow, header: Header<K>, problems: ProblemList): Record<K, string> | null {
  if (row.fields.length !== header.width) {
    problems.add(row.line, {
      es: `tiene ${row.fields.length} campos y el encabezado ${header.width}`,
      en: `has ${row.fields.length} fields but the header has ${header.width}`,
    });
    return null;
  }
  const cells = {} as Record<K, string>;
  for (const key of Object.keys(header.index) as K[]) cells[key] = (row.fields[header.index[key]] ?? '').trim();
  return cells;
}

class ProblemList {
  readonly items: CsvProblem[] = [];
  private truncated = false;
  add(line: number, problem: Localized): void {
    if (this.items.length < MAX_CSV_PROBLEMS) this.items.push({ line, problem });
    else this.truncated = true;
  }
  throwIfAny(): void {
    const first = this.items[0];
    if (!first) return;
    throw new DomainError('IMPORT_INVALID_CSV', { line: first.line, problem: first.problem }, {
      problems: this.items,
      truncated: this.truncated,
    });
  }
}

function csvError(line: number, problem: Localized): DomainError {
  return new DomainError('IMPORT_INVALID_CSV', { line, problem }, { problems: [{ line, problem }], truncated: false });
}

const required = (column: string): Localized => ({
  es: `la columna «${column}» está vacía`,
  en: `the "${column}" column is empty`,
});

const badMonth = (value: string): Localized => ({
  es: `mes «${value}» inválido; se espera AAAA-MM, p. ej. 2015-09`,
  en: `invalid month "${value}"; expected YYYY-MM, e.g. 2015-09`,
});

const badCount = (column: string, value: string): Localized => ({
  es: `«${column}» debe ser un entero no negativo, no «${value}»`,
  en: `"${column}" must be a non-negative integer, not "${value}"`,
});
