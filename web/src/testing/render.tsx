import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';

let mounted: { root: Root; host: HTMLElement } | undefined;

/** Renders a component as the console does (Mantine, a query client), replacing the last one. */
export async function render(ui: ReactNode): Promise<void> {
  unmount();
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  await act(async () => {
    root.render(
      <MantineProvider>
        <QueryClientProvider client={client}>{ui}</QueryClientProvider>
      </MantineProvider>,
    );
  });
  mounted = { root, host };
}

export function unmount(): void {
  if (!mounted) return;
  mounted.root.unmount();
  mounted.host.remove();
  mounted = undefined;
}
