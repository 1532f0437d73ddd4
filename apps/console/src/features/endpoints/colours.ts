/**
 * The theme's indigo-6 is under WCAG AA's 4.5:1 for text on white and on
 * striped rows, and for white text on it; its darkest shade is well above.
 */
export const ACCESSIBLE_INDIGO = 'indigo.9';
