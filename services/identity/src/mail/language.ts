import type { LANGUAGES } from '@warden/contracts';

export type Language = (typeof LANGUAGES)[number];
