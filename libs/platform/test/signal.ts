/**
 * Waiting for something that happens elsewhere (a handler runs, a log line is
 * written) without polling: whatever happens calls `poke()`, and `until()`
 * checks its condition again then, and only then.
 */
export interface Signal {
  poke(): void;
  until(check: () => boolean | Promise<boolean>, what: string): Promise<void>;
}

const GIVE_UP_MS = 15_000;

export function createSignal(): Signal {
  const waiters = new Set<() => void>();
  return {
    poke() {
      waiters.forEach((wake) => wake());
    },
    until(check, what) {
      return new Promise((done, fail) => {
        let checking = false;
        let again = false;
        const wake = (): void => {
          // One check at a time; a poke during an (async) check runs one more.
          if (checking) {
            again = true;
            return;
          }
          checking = true;
          void Promise.resolve(check()).then(
            (holds) => {
              checking = false;
              if (holds) return finish(() => done());
              if (again) {
                again = false;
                wake();
              }
            },
            (error: unknown) =>
              finish(() => fail(error instanceof Error ? error : new Error(String(error)))),
          );
        };
        // Only for a failure report: the test waits for events, never for this.
        const timer = setTimeout(
          () => finish(() => fail(new Error(`gave up waiting for ${what}`))),
          GIVE_UP_MS,
        );
        const finish = (settle: () => void): void => {
          clearTimeout(timer);
          waiters.delete(wake);
          settle();
        };
        waiters.add(wake);
        wake();
      });
    },
  };
}
