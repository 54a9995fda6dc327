import { describe, expect, it } from 'vitest';
import { escapeHtml, formatMoney } from '../../../src/domain/giving/statement-html.js';
import { summarize } from '../../../src/domain/giving/statements.service.js';

describe('statement formatting', () => {
  it('formats minor units with the currency own decimals', () => {
    expect(formatMoney(12_345, 'USD')).toBe('$123.45');
    expect(formatMoney(-100, 'USD')).toBe('-$1.00');
    expect(formatMoney(1500, 'JPY')).toBe('¥1,500');
    expect(formatMoney(1_000, 'KWD')).toMatch(/^KWD\s1\.000$/);
    expect(formatMoney(250, 'XYZW')).toBe('2.50 XYZW');
  });

  it('escapes markup', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('groups split lines into donations and fund totals', () => {
    const line = {
      personId: 'p',
      method: 'cash' as const,
      checkNumber: null,
      reversesId: null,
      receivedOn: '2025-01-01',
    };
    const s = summarize([
      { ...line, donationId: 'd1', position: 0, fundId: 'b', fundName: 'Beta', amountCents: 300 },
      { ...line, donationId: 'd1', position: 1, fundId: 'a', fundName: 'Alpha', amountCents: 200 },
      {
        ...line,
        donationId: 'd2',
        position: 0,
        fundId: 'b',
        fundName: 'Beta',
        amountCents: -300,
        reversesId: 'd1',
      },
    ]);
    expect(s.totalCents).toBe(200);
    expect(s.byFund).toEqual([
      { fundId: 'a', fundName: 'Alpha', totalCents: 200 },
      { fundId: 'b', fundName: 'Beta', totalCents: 0 },
    ]);
    expect(s.donations.map((d) => [d.id, d.amountCents, d.splits.length])).toEqual([
      ['d1', 500, 2],
      ['d2', -300, 1],
    ]);
  });
});
