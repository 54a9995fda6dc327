import { useState } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { ApiError } from '../api/problem';
import { churchFormat } from '../format/church-format';
import { render, unmount } from '../testing/render';
import type { YearEndRun, YearEndSummary } from './year-end-api';
import { YearEndView, type YearEndViewProps } from './year-end-view';

const SUMMARY: YearEndSummary = {
  year: 2025,
  currency: 'USD',
  receiptText: 'Grace Chapel is a registered charity, number 12345.',
  gifts: 4,
  totalCents: 19434,
  uncommittedGifts: 1,
  donors: 3,
  withEmail: 1,
  withoutEmail: [
    {
      kind: 'person',
      id: 'p-ben',
      name: 'Ben Okafor',
      email: null,
      addressLines: ['1 Elm St', 'Austin, TX 78701'],
    },
    { kind: 'person', id: 'p-cy', name: 'Cy Young', email: 'not-an-address', addressLines: [] },
  ],
};

const runAt = (
  queued: number,
  sent: number,
  failed = 0,
  status: YearEndRun['status'] = 'running',
): YearEndRun => ({
  id: 'run-1',
  year: 2025,
  status,
  total: 1,
  queued,
  sent,
  failed,
  withoutEmail: 2,
  error: null,
  createdAt: '2026-01-05T10:00:00.000Z',
  updatedAt: '2026-01-05T10:00:01.000Z',
  finishedAt: null,
});

/** The view with its run kept in state, as the page keeps it through the API. */
function Harness(props: Partial<YearEndViewProps> & { sends: number[]; runs?: YearEndRun[] }) {
  const [run, setRun] = useState<YearEndRun>();
  return (
    <MemoryRouter>
      <YearEndView
        year={2025}
        years={[2026, 2025, 2024]}
        onYear={() => {}}
        summary={{ data: SUMMARY, pending: false }}
        money={churchFormat('USD', 'America/Chicago').money}
        canSend
        canEditReceipt
        run={run}
        onDownload={async () => {}}
        onSend={async () => {
          props.sends.push(Date.now());
          setRun(runAt(0, 0));
          // The page polls the run: here each step follows shortly.
          for (const next of props.runs ?? []) {
            setTimeout(() => setRun(next), 50 * (1 + (props.runs ?? []).indexOf(next)));
          }
        }}
        {...props}
      />
    </MemoryRouter>
  );
}

describe('year-end statements', () => {
  afterEach(unmount);

  it('shows the figures, the open-batch warning, the receipt text and the donors to post to', async () => {
    await render(<Harness sends={[]} />);
    const figures = page.getByRole('group', { name: 'Giving in 2025' });
    await expect.element(figures).toHaveTextContent('Donors3');
    await expect.element(figures).toHaveTextContent('Gifts4');
    await expect.element(figures).toHaveTextContent('Total given$194.34');
    await expect.element(page.getByText('1 gift of 2025 is in batches not yet committed')).toBeVisible();
    await expect.element(page.getByText(SUMMARY.receiptText)).toBeVisible();
    await expect
      .element(page.getByRole('link', { name: 'Change it in Church settings' }))
      .toHaveAttribute('href', '/settings');
    const list = page.getByRole('table', { name: 'Donors without an email address' });
    await expect.element(list).toHaveTextContent('Ben Okafor');
    await expect.element(list).toHaveTextContent('1 Elm StAustin, TX 78701');
    await expect.element(list).toHaveTextContent('Email on file is not usable: not-an-address');
    await expect
      .element(page.getByRole('link', { name: 'Printable list' }))
      .toHaveAttribute('href', '/year-end/2025/without-email');
  });

  it('sends only after a confirmation, then follows the progress to the end', async () => {
    const sends: number[] = [];
    await render(<Harness sends={sends} runs={[runAt(1, 0), runAt(1, 1, 0, 'done')]} />);
    await userEvent.click(page.getByRole('button', { name: 'Email statements' }));
    const dialog = page.getByRole('dialog', { name: 'Email the 2025 statements?' });
    await expect.element(dialog).toHaveTextContent('Each of the 1 donor with an email address');
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    expect(sends).toHaveLength(0);

    await userEvent.click(page.getByRole('button', { name: 'Email statements' }));
    await userEvent.click(page.getByRole('button', { name: 'Send 1 email' }));
    expect(sends).toHaveLength(1);
    const progress = page.getByRole('status', { name: 'Email progress' });
    await expect.element(progress).toHaveTextContent('Sent 1 of 1.');
    await expect
      .element(progress)
      .toHaveTextContent('Every donor with an email address has their statement.');
    await expect.element(page.getByRole('button', { name: 'Email statements' })).toBeEnabled();
  });

  it('says what went wrong in plain words, by the problem code', async () => {
    const noGifts = new ApiError(404, {
      type: 'urn:steeple:problem:no-gifts',
      title: 'No gifts in that year',
      status: 404,
      code: 'NO_GIFTS',
      detail: 'No tax-deductible gifts are recorded for 2025.',
      requestId: 'req-1',
    });
    await render(
      <Harness
        sends={[]}
        onDownload={async () => {
          throw noGifts;
        }}
        onSend={async () => {
          throw new TypeError('Failed to fetch');
        }}
      />,
    );
    await userEvent.click(page.getByRole('button', { name: 'Download all statements (ZIP)' }));
    await expect.element(page.getByRole('alert')).toHaveTextContent('there are no statements to make');
    await userEvent.click(page.getByRole('button', { name: 'Email statements' }));
    await userEvent.click(page.getByRole('button', { name: 'Send 1 email' }));
    await expect
      .element(page.getByRole('dialog').getByRole('alert'))
      .toHaveTextContent('The server could not be reached');

    await render(
      <MemoryRouter>
        <YearEndView
          year={2023}
          years={[2023]}
          onYear={() => {}}
          summary={{ error: noGifts, pending: false }}
          money={String}
          canSend={false}
          canEditReceipt={false}
          run={undefined}
          onDownload={async () => {}}
          onSend={async () => {}}
        />
      </MemoryRouter>,
    );
    await expect
      .element(page.getByRole('alert'))
      .toHaveTextContent('No tax-deductible gifts are recorded for this year');
    expect(page.getByRole('button', { name: 'Email statements' }).elements()).toHaveLength(0);
  });
});
