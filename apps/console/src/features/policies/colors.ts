/*
 * Shades readable at WCAG AA's 4.5:1: the theme's default shade 6 is not
 * (indigo.6 under white text or on white is 4.3:1), and axe fails it. The
 * lasting fix is `primaryShade: 7` in App.tsx's theme.
 */

/** Filled buttons (white text) and links on white: indigo.7 is 5:1. */
export const PRIMARY_COLOR = 'indigo.7';

/** A warning's text on its light background: orange.6 is under 3:1, orange.9 passes. */
export const WARNING_COLOR = 'orange.9';
