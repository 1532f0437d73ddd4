import {
  type CSSVariablesResolver,
  createTheme,
  darken,
  luminance,
  type MantineColorsTuple,
  type MantineThemeOverride,
} from '@mantine/core';
import type { TFunction } from 'i18next';

/**
 * Text on a colour must read at WCAG AA's 4.5:1 (axe checks every screen).
 * Mantine's defaults do not: the primary shade 6 is 4.3:1 under white text
 * (indigo) and far less for teal, green or yellow. So filled backgrounds use
 * shade 9, with black text where white would not reach the ratio
 * (autoContrast), and coloured text — a light badge, an outline, `c="teal"` —
 * uses the colour's shade 9, darkened until it reads on the colour's light
 * background (shade 1, and so on white too).
 */
const MIN_CONTRAST = 4.6;

const contrast = (a: string, b: string) => {
  const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
};

/** The colour's shade 9, darkened in steps until it reads on its shade 1. */
export function readableInk(shades: MantineColorsTuple): string {
  let ink = shades[9];
  for (let amount = 0.05; contrast(ink, shades[1]) < MIN_CONTRAST && amount < 1; amount += 0.05) {
    ink = darken(shades[9], amount);
  }
  return ink;
}

export const readableColors: CSSVariablesResolver = (theme) => ({
  variables: {},
  light: {
    // Mantine's "dimmed" grey (gray.6) is 3.3:1 on white, its field-error red (red.6) 3.3:1 too.
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-text)',
    ...Object.fromEntries(
      Object.entries(theme.colors).flatMap(([name, shades]) => {
        const ink = readableInk(shades);
        return [
          [`--mantine-color-${name}-text`, ink],
          [`--mantine-color-${name}-light-color`, ink],
          [`--mantine-color-${name}-outline`, ink],
        ];
      }),
    ),
  },
  dark: {},
});

const FONTS =
  'system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", "Noto Sans JP", Meiryo, sans-serif';

/**
 * The console's theme in the current language: close buttons of dialogs and
 * notifications are named (icon-only buttons need an accessible name), and a
 * notification's text reads at AA (Mantine's is gray.6) and keeps its line breaks.
 */
export function consoleTheme(t: TFunction): MantineThemeOverride {
  const closeButtonProps = { 'aria-label': t('common:actions.close') };
  return createTheme({
    primaryColor: 'indigo',
    primaryShade: 9,
    autoContrast: true,
    // Above this luminance a filled background gets black text (see readableInk's note).
    luminanceThreshold: 0.175,
    fontFamily: FONTS,
    components: {
      Modal: { defaultProps: { closeButtonProps } },
      Drawer: { defaultProps: { closeButtonProps } },
      // A badge names a state: its words are never cut to "保護されてい…" in a narrow column.
      Badge: { styles: { label: { overflow: 'visible' } } },
      Notification: {
        defaultProps: { closeButtonProps },
        styles: { description: { color: 'var(--mantine-color-dimmed)', whiteSpace: 'pre-line' } },
      },
    },
  });
}
