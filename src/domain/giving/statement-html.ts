import type { Address, HouseholdStatement, PersonStatement } from './statements.schemas.js';

/** The sentence a contribution receipt needs (IRS Pub. 1771) when nothing was given in return. */
export const NO_GOODS_OR_SERVICES =
  'No goods or services were provided in exchange for these contributions, other than intangible religious benefits.';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every value that came from a user goes through this before it touches the page. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

// Building an Intl.NumberFormat costs ~0.1 ms; a statement formats thousands of amounts.
const formatters = new Map<string, (minorUnits: number) => string>();

function formatterFor(currency: string): (minorUnits: number) => string {
  let format = formatters.get(currency);
  if (!format) {
    try {
      const fmt = new Intl.NumberFormat('en-US', { style: 'currency', currency });
      const scale = 10 ** (fmt.resolvedOptions().maximumFractionDigits ?? 2);
      format = (minorUnits) => fmt.format(minorUnits / scale);
    } catch {
      format = (minorUnits) => `${(minorUnits / 100).toFixed(2)} ${currency}`;
    }
    // Currency codes come from the church profile, so the cache stays a handful of entries.
    if (formatters.size < 100) formatters.set(currency, format);
  }
  return format;
}

/** Formats minor units in the church's currency, using the currency's own number of decimals. */
export function formatMoney(minorUnits: number, currency: string): string {
  return formatterFor(currency)(minorUnits);
}

function addressLines(a: Address | null): string[] {
  if (!a) return [];
  const cityLine = [a.city, [a.region, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [a.line1, a.line2, cityLine, a.country].filter((l): l is string => Boolean(l));
}

const block = (lines: string[]) => lines.map((l) => `<div>${escapeHtml(l)}</div>`).join('');

const STYLE = `body{font-family:Georgia,serif;max-width:46rem;margin:2rem auto;color:#111}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin-top:1.6rem}
table{width:100%;border-collapse:collapse}th,td{padding:.25rem .4rem;border-bottom:1px solid #ccc;text-align:left}
td.amount,th.amount{text-align:right;white-space:nowrap}tfoot td{font-weight:bold;border-top:2px solid #111}
.head{display:flex;justify-content:space-between;gap:2rem}.note{margin-top:1.6rem;font-style:italic}
@media print{body{margin:0}}`;

/** A printable contribution statement for a person or a household. */
export function renderStatementHtml(s: PersonStatement | HouseholdStatement): string {
  const money = (cents: number) => escapeHtml(formatMoney(cents, s.currency));
  const donor =
    'person' in s
      ? [`${s.person.firstName} ${s.person.lastName}`]
      : [s.household.name, s.members.map((m) => `${m.firstName} ${m.lastName}`).join(', ')].filter(Boolean);
  const rows = s.donations
    .map((d) => {
      const funds = d.splits.map((x) => `${x.fundName} ${formatMoney(x.amountCents, s.currency)}`).join('; ');
      const method = d.checkNumber ? `${d.method} #${d.checkNumber}` : d.method;
      const kind = d.reversesId ? ' (correction)' : '';
      return `<tr><td>${escapeHtml(d.receivedOn)}</td><td>${escapeHtml(method + kind)}</td><td>${escapeHtml(funds)}</td><td class="amount">${money(d.amountCents)}</td></tr>`;
    })
    .join('\n');
  const byFund = s.byFund
    .map((f) => `<tr><td>${escapeHtml(f.fundName)}</td><td class="amount">${money(f.totalCents)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>${escapeHtml(`${s.year} contribution statement – ${donor[0] ?? ''}`)}</title>
<style>${STYLE}</style></head>
<body>
<div class="head"><div><h1>${escapeHtml(s.church.name)}</h1>${block(addressLines(s.church.address))}</div>
<div><strong>Contribution statement ${s.year}</strong><div>January 1 – December 31, ${s.year}</div></div></div>
<h2>Prepared for</h2>${block([...donor, ...addressLines(s.address)])}
<h2>Contributions</h2>
<table><thead><tr><th>Date</th><th>Method</th><th>Funds</th><th class="amount">Amount</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="4">No tax-deductible contributions this year.</td></tr>'}
</tbody>
<tfoot><tr><td colspan="3">Total tax-deductible contributions</td><td class="amount">${money(s.totalCents)}</td></tr></tfoot></table>
<h2>By fund</h2>
<table><tbody>
${byFund}
</tbody></table>
<p class="note">${escapeHtml(NO_GOODS_OR_SERVICES)}</p>
<p>${escapeHtml(s.church.name)} thanks you for your generosity. Please keep this statement for your tax records.</p>
</body></html>
`;
}
