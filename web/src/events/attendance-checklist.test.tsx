import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render, unmount } from '../testing/render';
import { AttendanceChecklist, type ChecklistPerson } from './attendance-checklist';

const PEOPLE: ChecklistPerson[] = [
  { id: 'ana', name: 'Ana Diaz' },
  { id: 'bob', name: 'Bob Adams' },
  { id: 'bea', name: 'Bea Moss' },
];

/** The check-list with the event page's behaviour: the search filters, toggles are recorded. */
function Harness(props: { calls: [string, boolean][]; slow?: boolean }) {
  const [search, setSearch] = useState('');
  const [present, setPresent] = useState<ReadonlySet<string>>(new Set());
  const needle = search.trim().toLowerCase();
  return (
    <AttendanceChecklist
      people={PEOPLE.filter((p) => p.name.toLowerCase().includes(needle))}
      present={present}
      search={search}
      onSearchChange={setSearch}
      onToggle={async (id, on) => {
        props.calls.push([id, on]);
        setPresent((s) => {
          const next = new Set(s);
          if (on) next.add(id);
          else next.delete(id);
          return next;
        });
      }}
    />
  );
}

const search = () => page.getByRole('searchbox', { name: 'Find a name' });

describe('attendance check-list', () => {
  afterEach(unmount);

  it('checks people in from the search box: type, Enter, next name', async () => {
    const calls: [string, boolean][] = [];
    await render(<Harness calls={calls} />);
    await userEvent.click(search());
    await userEvent.keyboard('bo{Enter}');
    await expect.element(page.getByRole('status')).toHaveTextContent('1 checked in');
    expect(calls).toEqual([['bob', true]]);
    // The search is cleared and keeps the focus for the next name.
    await expect.element(search()).toHaveValue('');
    expect(document.activeElement).toBe(search().element());
    // Enter skips people already present: "b" matches Bob (present) and Bea.
    await userEvent.keyboard('b{Enter}');
    await expect.element(page.getByRole('status')).toHaveTextContent('2 checked in');
    expect(calls).toEqual([
      ['bob', true],
      ['bea', true],
    ]);
    // Enter with an empty search marks no one.
    await userEvent.keyboard('{Enter}');
    expect(calls).toHaveLength(2);
  });

  it('toggles with the checkboxes (Space), and unchecking undoes a check-in', async () => {
    const calls: [string, boolean][] = [];
    await render(<Harness calls={calls} />);
    const ana = page.getByRole('checkbox', { name: 'Ana Diaz' });
    await userEvent.click(ana);
    await expect.element(ana).toBeChecked();
    (ana.element() as HTMLElement).focus();
    await userEvent.keyboard(' ');
    await expect.element(ana).not.toBeChecked();
    expect(calls).toEqual([
      ['ana', true],
      ['ana', false],
    ]);
    await expect.element(page.getByRole('status')).toHaveTextContent('0 checked in');
  });

  it('says so when no one matches', async () => {
    await render(<Harness calls={[]} />);
    await userEvent.fill(search(), 'zz');
    await expect.element(page.getByText('No one matches.')).toBeVisible();
  });
});
