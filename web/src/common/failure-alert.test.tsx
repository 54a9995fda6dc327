import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { render, unmount } from '../testing/render';
import { FailureAlert } from './failure-alert';

describe('failure alert', () => {
  afterEach(unmount);

  it('reads the failure out as an alert, under its title', async () => {
    await render(<FailureAlert title="Not saved">The name is taken.</FailureAlert>);
    await expect.element(page.getByRole('alert')).toHaveTextContent('Not savedThe name is taken.');
  });

  it('shows nothing when there is no failure', async () => {
    await render(<FailureAlert title="Not saved">{undefined}</FailureAlert>);
    await expect.element(page.getByRole('alert')).not.toBeInTheDocument();
    await expect.element(page.getByText('Not saved')).not.toBeInTheDocument();
  });
});
