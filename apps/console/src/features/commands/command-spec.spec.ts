import { keycodeFromBody } from '@warden/contracts';
import {
  NO_PARAMETERS,
  bulkProgress,
  commandSpec,
  isCancellable,
  parametersSchemaFor,
  takesParameters,
} from './command-spec';

const states = (counts: Partial<Record<string, number>>) => ({
  pending: 0,
  delivered: 0,
  succeeded: 0,
  failed: 0,
  cancelled: 0,
  expired: 0,
  ...counts,
});

/** A keycode with a valid check character. */
const KEYCODE = keycodeFromBody('ABCD1234EFGH5678JKL') ?? keycodeFromBody('ABCD1234EFGH5678JKM')!;

describe('the command form → CommandSpec', () => {
  it('gives parameterless commands no parameters (the API applies its defaults)', () => {
    expect(commandSpec('deactivate', NO_PARAMETERS)).toEqual({ type: 'deactivate' });
    expect(commandSpec('refresh_config', NO_PARAMETERS)).toEqual({ type: 'refresh_config' });
  });

  it('gives a scan its kind', () => {
    expect(commandSpec('scan', { ...NO_PARAMETERS, scanKind: 'full' })).toEqual({
      type: 'scan',
      parameters: { kind: 'full' },
    });
  });

  it('sends a keycode as licensing reads it: upper case and dashed', () => {
    const typed = KEYCODE.toLowerCase().replace(/-/g, ' ');
    expect(commandSpec('change_keycode', { ...NO_PARAMETERS, keycode: typed })).toEqual({
      type: 'change_keycode',
      parameters: { keycode: KEYCODE },
    });
  });

  it('asks for parameters only for a change of keycode and a scan', () => {
    expect(
      ['change_keycode', 'scan', 'deactivate'].map((t) => takesParameters(t as never)),
    ).toEqual([true, true, false]);
  });
});

describe('the parameters form', () => {
  const rulesOf = (type: 'change_keycode' | 'scan', keycode: string) => {
    const result = parametersSchemaFor(type).safeParse({ keycode, scanKind: 'quick' });
    return result.success
      ? []
      : result.error.issues.map((issue) =>
          issue.code === 'custom' ? (issue.params as { rule: string }).rule : issue.code,
        );
  };

  it('checks a keycode’s format and check character before any request', () => {
    expect(rulesOf('change_keycode', KEYCODE)).toEqual([]);
    expect(rulesOf('change_keycode', '')).toEqual(['too_small']);
    expect(rulesOf('change_keycode', 'ABCD-1234')).toEqual(['keycode_format']);
    const typo = KEYCODE.slice(0, -1) + (KEYCODE.endsWith('A') ? 'B' : 'A');
    expect(rulesOf('change_keycode', typo)).toEqual(['keycode_check_character']);
  });

  it('asks a scan for no keycode', () => {
    expect(rulesOf('scan', '')).toEqual([]);
  });
});

describe('a bulk’s progress', () => {
  it('counts ended commands as finished and lists the states that hold commands in lifecycle order', () => {
    const progress = bulkProgress({
      total: 7,
      states: states({ succeeded: 2, pending: 3, failed: 1, delivered: 1 }),
    });
    expect(progress).toEqual({
      total: 7,
      finished: 3,
      percent: 42,
      complete: false,
      states: [
        { state: 'pending', count: 3 },
        { state: 'delivered', count: 1 },
        { state: 'succeeded', count: 2 },
        { state: 'failed', count: 1 },
      ],
    });
  });

  it('is complete once every command succeeded, failed, was cancelled or expired', () => {
    const progress = bulkProgress({
      total: 4,
      states: states({ succeeded: 1, failed: 1, cancelled: 1, expired: 1 }),
    });
    expect([progress.complete, progress.percent]).toEqual([true, 100]);
  });

  it('never shows 100% before the last command ended', () => {
    expect(
      bulkProgress({ total: 1000, states: states({ succeeded: 999, pending: 1 }) }).percent,
    ).toBe(99);
  });
});

it('lets only a command the endpoint has not received be cancelled', () => {
  expect(
    (['pending', 'delivered', 'succeeded'] as const).map((state) => isCancellable(state)),
  ).toEqual([true, false, false]);
});
