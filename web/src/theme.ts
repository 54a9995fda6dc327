import { createTheme } from '@mantine/core';

/** Colours chosen for contrast (WCAG AA on white): the axe check in the tests holds us to it. */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
});
