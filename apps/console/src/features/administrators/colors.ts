/**
 * Colours of this area with white text of at least WCAG AA's 4.5:1 (axe
 * fails less): the theme's primary shade (indigo.6) is 4.3:1 under white
 * text, indigo.7 is 5:1. With `primaryShade: 7` in App.tsx's theme,
 * PRIMARY_FILLED would be the default and could go.
 */
export const PRIMARY_FILLED = 'indigo.7';
/** Destructive actions' text and outline on white: 5.2:1. */
export const DESTRUCTIVE = 'red.9';
