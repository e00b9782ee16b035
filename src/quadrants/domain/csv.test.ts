import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel/index.js';
import { NO_QUADRANT, parseCrimesCsv, parseCsvRows, parsePopulationCsv } from './csv.js';

const data = (name: string): Buffer => readFileSync(new URL(`../../../data/cdmx/${name}`, import.meta.url));

function csvError(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('parseCsvRows', () => {
  it.each([
    ['plain', 'a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['CRLF and no final newline', 'a,b\r\n1,2', [['a', 'b'], ['1', '2']]],
    ['bare CR', 'a,b\r1,2\r', [['a', 'b'], ['1', '2']]],
    ['BOM', '\uFEFFa,b\n1,2', [['a', 'b'], ['1', '2']]],
    ['blank lines skipped', 'a,b\n\n1,2\n\n', [['a', 'b'], ['1', '2']]],
    ['empty fields kept', 'a,,c\n,,\n', [['a', '', 'c'], ['', '', '']]],
    ['quoted comma', 'a,"b,c"\n', [['a', 'b,c']]],
    ['spaces around a quoted field', 'a, "b" ,c\n', [['a', 'b', 'c']]],
    ['doubled quote', '"say ""hi""",x\n', [['say "hi"', 'x']]],
    ['empty quoted field', '"",x\n', [['', 'x']]],
    ['newline inside quotes', '"one\ntwo",x\n', [['one\ntwo', 'x']]],
  ])('%s', (_, text, rows) => {
    expect(parseCsvRows(text).map((r) => r.fields)).toEqual(rows);
  });

  it('numbers records by the line they start on, counting lines inside quotes', () => {
    expect(parseCsvRows('h\n"a\nb"\n\nc\n').map((r) => r.line)).toEqual([1, 2, 5]);
  });
});

const CRIMES_HEADER = 'cuadrante,crime,month,count';

describe('parseCrimesCsv', () => {
  it('reads records, trimming fields and honouring quotes', () => {
    const text = `${CRIMES_HEADER}\nC-1.1.1,ROBO A NEGOCIO C.V.,2013-01,1\n"C-1.1.2", "ROBO A CASA HABITACION C.V." ,2015-09, 12\n`;
    expect(parseCrimesCsv(text)).toEqual([
      { quadrant: 'C-1.1.1', crime: 'ROBO A NEGOCIO C.V.', month: '2013-01', count: 1 },
      { quadrant: 'C-1.1.2', crime: 'ROBO A CASA HABITACION C.V.', month: '2015-09', count: 12 },
    ]);
  });

  it('finds columns by name, in any order, ignoring extra ones', () => {
    const text = 'Month,Count,Cuadrante,Crime,notes\n2014-02,3,P-1.4.8,VIOLACION,x\n';
    expect(parseCrimesCsv(text)).toEqual([{ quadrant: 'P-1.4.8', crime: 'VIOLACION', month: '2014-02', count: 3 }]);
  });

  it.each([
    ['no header at all', 1, '', 'header is missing'],
    ['a header without count', 1, 'cuadrante,crime,month\nC-1,X,2013-01\n', 'no "count" column'],
    ['too few fields', 3, `${CRIMES_HEADER}\nC-1,X,2013-01,1\nC-1,X,2013-01\n`, 'has 3 fields but the header has 4'],
    ['too many fields', 2, `${CRIMES_HEADER}\nC-1,X,2013-01,1,9\n`, 'has 5 fields'],
    ['empty quadrant', 2, `${CRIMES_HEADER}\n,X,2013-01,1\n`, '"cuadrante" column is empty'],
    ['empty crime', 2, `${CRIMES_HEADER}\nC-1, ,2013-01,1\n`, '"crime" column is empty'],
    ['month with a day', 2, `${CRIMES_HEADER}\nC-1,X,2013-01-05,1\n`, 'invalid month "2013-01-05"'],
    ['month 13', 2, `${CRIMES_HEADER}\nC-1,X,2013-13,1\n`, 'invalid month "2013-13"'],
    ['month in another format', 2, `${CRIMES_HEADER}\nC-1,X,01/2013,1\n`, 'invalid month'],
    ['negative count', 2, `${CRIMES_HEADER}\nC-1,X,2013-01,-1\n`, 'non-negative integer, not "-1"'],
    ['fractional count', 2, `${CRIMES_HEADER}\nC-1,X,2013-01,1.5\n`, 'not "1.5"'],
    ['count that is not a number', 2, `${CRIMES_HEADER}\nC-1,X,2013-01,tres\n`, 'not "tres"'],
    ['empty count', 2, `${CRIMES_HEADER}\nC-1,X,2013-01,\n`, 'not ""'],
    ['unterminated quote', 2, `${CRIMES_HEADER}\nC-1,"X,2013-01,1\nC-2,Y,2013-01,1\n`, 'unterminated quoted field'],
    ['quote in the middle of a field', 2, `${CRIMES_HEADER}\nC-1,RO"BO,2013-01,1\n`, 'quote inside an unquoted field'],
    ['text after a closing quote', 2, `${CRIMES_HEADER}\nC-1,"X"Y,2013-01,1\n`, 'text after the closing quote'],
    ['bad row after a multi-line quoted field', 4, `${CRIMES_HEADER}\nC-1,"A\nB",2013-01,1\nC-1,X,2013-01,z\n`, 'not "z"'],
  ])('%s → IMPORT_INVALID_CSV at line %i', (_, line, text, problem) => {
    const e = csvError(() => parseCrimesCsv(text));
    expect(e.code).toBe('IMPORT_INVALID_CSV');
    expect(e.params.line).toBe(line);
    expect(e.message).toContain(`line ${line}`);
    expect(e.message).toContain(problem);
    expect(e.message_('es')).toContain(`línea ${line}`);
  });

  it('lists every bad row in details, not only the first', () => {
    const text = `${CRIMES_HEADER}\nC-1,X,2013-01,1\nC-1,X,2013-1,1\nC-1,X,2013-01,x\n,X,2013-01,1\n`;
    const e = csvError(() => parseCrimesCsv(text));
    expect((e.details as { problems: { line: number }[] }).problems.map((p) => p.line)).toEqual([3, 4, 5]);
  });

  it('caps the problem list on a hopeless file', () => {
    const text = `${CRIMES_HEADER}\n${'C-1,X,bad,1\n'.repeat(500)}`;
    const details = csvError(() => parseCrimesCsv(text)).details as { problems: unknown[]; truncated: boolean };
    expect(details.problems).toHaveLength(100);
    expect(details.truncated).toBe(true);
  });

  it('reads the shipped file: 68,566 rows, 19 crime types, 33 months, the no-quadrant rows kept', () => {
    const records = parseCrimesCsv(gunzipSync(data('crimes-by-quadrant-2013-2015.csv.gz')).toString('utf8'));
    expect(records).toHaveLength(68_566);
    expect(new Set(records.map((r) => r.crime)).size).toBe(19);
    const months = [...new Set(records.map((r) => r.month))].sort();
    expect([months.length, months[0], months.at(-1)]).toEqual([33, '2013-01', '2015-09']);
    expect(records.some((r) => r.quadrant === NO_QUADRANT)).toBe(true);
    expect(records.every((r) => Number.isInteger(r.count) && r.count > 0)).toBe(true);
  });
});

describe('parsePopulationCsv', () => {
  it('reads the shipped file', () => {
    const population = parsePopulationCsv(data('quadrant-population.csv').toString('utf8'));
    expect(population.size).toBe(848);
    expect(population.get('C-1.1.1')).toBe(1594);
    expect(population.get(NO_QUADRANT)).toBe(0);
  });

  it('does not need the sector column', () => {
    expect(parsePopulationCsv('cuadrante,population\nX-1,10\n')).toEqual(new Map([['X-1', 10]]));
  });

  it.each([
    ['no population column', 1, 'cuadrante,sector\nX-1,S\n', 'no "population" column'],
    ['population not a number', 2, 'cuadrante,sector,population\nX-1,S,muchos\n', 'not "muchos"'],
    ['negative population', 2, 'cuadrante,sector,population\nX-1,S,-5\n', 'not "-5"'],
    ['population too large to be exact', 2, 'cuadrante,sector,population\nX-1,S,99999999999999999999\n', 'non-negative integer'],
    ['empty quadrant', 2, 'cuadrante,sector,population\n,S,5\n', '"cuadrante" column is empty'],
    ['quadrant twice', 4, 'cuadrante,sector,population\nX-1,S,5\nX-2,S,6\nX-1,S,7\n', 'already appears at line 2'],
    ['a sector with an unquoted comma', 2, 'cuadrante,sector,population\nX-1,ANGEL, ZONA ROSA,5\n', 'has 4 fields'],
  ])('%s → IMPORT_INVALID_CSV at line %i', (_, line, text, problem) => {
    const e = csvError(() => parsePopulationCsv(text));
    expect(e.code).toBe('IMPORT_INVALID_CSV');
    expect(e.params.line).toBe(line);
    expect(e.message).toContain(problem);
  });
});
