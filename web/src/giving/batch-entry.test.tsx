import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { type ChurchFormat, churchFormat } from '../format/church-format';
import { render, unmount } from '../testing/render';
import { BatchEntry, type EnteredGift, type NewGift } from './batch-entry';

const PEOPLE = [
  { id: 'p-maria', label: 'Maria Lopez' },
  { id: 'p-mark', label: 'Mark Olsen' },
  { id: 'p-jose', label: 'Jose Lopez' },
];
const FUNDS = [
  { id: 'f-general', name: 'General' },
  { id: 'f-missions', name: 'Missions' },
];
const USD = churchFormat('USD', 'America/Chicago');

/** BatchEntry with its gifts kept in state, as the batch page keeps them through the API. */
function Harness(props: { added: NewGift[]; commits: number[]; format?: ChurchFormat }) {
  const format = props.format ?? USD;
  const [gifts, setGifts] = useState<EnteredGift[]>([]);
  return (
    <BatchEntry
      funds={FUNDS}
      gifts={gifts}
      money={format.money}
      parseMoney={format.parseMoney}
      searchPeople={async (text) => PEOPLE.filter((p) => p.label.toLowerCase().includes(text.toLowerCase()))}
      onAdd={async (g) => {
        props.added.push(g);
        const person = PEOPLE.find((p) => p.id === g.personId)?.label ?? 'Anonymous';
        const fund = FUNDS.find((f) => f.id === g.fundId)!.name;
        setGifts((all) => [...all, { id: String(all.length), person, fund, ...g }]);
      }}
      onRemove={async (id) => setGifts((all) => all.filter((g) => g.id !== id))}
      onCommit={async () => {
        props.commits.push(Date.now());
      }}
    />
  );
}

const person = () => page.getByRole('combobox', { name: 'Person' });
const focused = () => document.activeElement;

describe('batch entry', () => {
  afterEach(unmount);

  it('takes gifts from the keyboard alone and checks the total against the deposit slip', async () => {
    const added: NewGift[] = [];
    const commits: number[] = [];
    await render(<Harness added={added} commits={commits} />);

    // Row 1: a name, Enter picks the match; Tab to the amount; Enter adds the gift.
    await expect.poll(() => focused()).toBe(person().element());
    await userEvent.keyboard('mari');
    await expect.element(page.getByRole('option', { name: 'Maria Lopez' })).toBeVisible();
    await userEvent.keyboard('{Enter}');
    await expect.element(person()).toHaveValue('Maria Lopez');
    await userEvent.tab();
    await userEvent.keyboard('12.50{Enter}');
    await expect.element(page.getByRole('cell', { name: '$12.50', exact: true })).toBeVisible();
    expect(added[0]).toEqual({
      personId: 'p-maria',
      amountCents: 1250,
      fundId: 'f-general',
      method: 'check',
      checkNumber: null,
    });

    // Back in the person field, empty; an anonymous gift is an empty name.
    await expect.poll(() => focused()).toBe(person().element());
    await expect.element(person()).toHaveValue('');
    await userEvent.tab();
    await userEvent.keyboard('7{Enter}');
    await expect.element(page.getByRole('cell', { name: 'Anonymous', exact: true })).toBeVisible();
    expect(added[1]).toMatchObject({ personId: null, amountCents: 700 });

    // A bad amount is refused next to its field, and nothing is added.
    await userEvent.tab();
    await userEvent.keyboard('abc{Enter}');
    await expect.element(page.getByText('Enter an amount')).toBeVisible();
    expect(added).toHaveLength(2);

    // The running total against the expected total; commit only when they match.
    await expect.element(page.getByRole('status')).toHaveTextContent('2 gifts, total $19.50');
    await userEvent.fill(page.getByRole('textbox', { name: 'Expected total' }), '20');
    await expect.element(page.getByRole('status')).toHaveTextContent('$0.50 short');
    await expect.element(page.getByRole('button', { name: 'Commit batch' })).toBeDisabled();
    await userEvent.fill(page.getByRole('textbox', { name: 'Expected total' }), '19.50');
    await expect.element(page.getByRole('status')).toHaveTextContent('matches the expected total');
    await userEvent.click(page.getByRole('button', { name: 'Commit batch' }));
    await expect.poll(() => commits.length).toBe(1);
  });

  it('takes whole yen and won: a zero-decimal currency is not divided by 100', async () => {
    const added: NewGift[] = [];
    await render(<Harness added={added} commits={[]} format={churchFormat('JPY', 'Asia/Tokyo')} />);
    await userEvent.fill(page.getByRole('textbox', { name: 'Amount' }), '1,200');
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => added.length).toBe(1);
    expect(added[0]).toMatchObject({ amountCents: 1200 });
    await expect.element(page.getByRole('cell', { name: '¥1,200', exact: true })).toBeVisible();
    // A yen has no fractions: 12.50 is not an amount.
    await userEvent.fill(page.getByRole('textbox', { name: 'Amount' }), '12.50');
    await userEvent.keyboard('{Enter}');
    await expect.element(page.getByText('Enter an amount')).toBeVisible();
    expect(added).toHaveLength(1);

    const won = churchFormat('KRW', 'Asia/Seoul');
    expect(won.money(50000)).toMatch(/^₩50,000$/);
    expect(won.parseMoney('50000')).toBe(50000);
    expect(USD.money(50000)).toBe('$500.00');
    expect(churchFormat('BHD', 'Asia/Bahrain').parseMoney('1.250')).toBe(1250);
    // A decimal comma is cents, never a hundred times the gift; the browser's en-US groups with ",".
    expect(USD.parseMoney('12,50')).toBe(1250);
    expect(USD.parseMoney('1,250')).toBe(125000);
  });

  it('keeps the fund and method of the last gift for the next row', async () => {
    const added: NewGift[] = [];
    await render(<Harness added={added} commits={[]} />);
    await userEvent.click(page.getByRole('combobox', { name: 'Fund' }));
    await userEvent.click(page.getByRole('option', { name: 'Missions' }));
    await userEvent.click(page.getByRole('combobox', { name: 'Method' }));
    await userEvent.click(page.getByRole('option', { name: 'Cash' }));
    for (const amount of ['5', '6']) {
      await userEvent.fill(page.getByRole('textbox', { name: 'Amount' }), amount);
      await userEvent.keyboard('{Enter}');
      await expect.poll(() => added.length).toBe(Number(amount) - 4);
    }
    expect(added.map((g) => [g.fundId, g.method])).toEqual([
      ['f-missions', 'cash'],
      ['f-missions', 'cash'],
    ]);
  });
});
