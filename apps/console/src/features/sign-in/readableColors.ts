import type { CSSProperties } from 'react';

/**
 * The theme's primary shade (indigo.6) under white text or as a link on
 * white is 4.3:1, and the error red (red.6) as text on white 3.3:1, both
 * under WCAG AA's 4.5:1; indigo.7 is 5:1 and red.9 5.5:1. Set on a page's
 * root, these variables move its filled buttons, stepper, links and field
 * errors to the darker shades. The lasting fix is in App.tsx's theme
 * (`primaryShade: 7` and a darker error colour).
 */
export const READABLE_COLORS = {
  '--mantine-color-indigo-filled': 'var(--mantine-color-indigo-7)',
  '--mantine-color-indigo-filled-hover': 'var(--mantine-color-indigo-8)',
  '--mantine-primary-color-filled': 'var(--mantine-color-indigo-7)',
  '--mantine-primary-color-filled-hover': 'var(--mantine-color-indigo-8)',
  '--mantine-color-anchor': 'var(--mantine-color-indigo-7)',
  '--mantine-color-error': 'var(--mantine-color-red-9)',
} as CSSProperties;
