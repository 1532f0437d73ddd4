import { useSyncExternalStore } from 'react';

/** What a sign-in or a refresh answers (DESIGN §7b). */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  twoFactor: 'enabled' | 'not_set_up';
}

/** Why a session ended, shown on the login page. */
export type SessionEnd = 'signed_out' | 'expired';

interface SessionState {
  tokens: SessionTokens | undefined;
  ended: SessionEnd | undefined;
}

/**
 * The tokens live in this tab's sessionStorage: a reload keeps the session,
 * closing the tab ends it, and another tab signs in on its own.
 */
const STORAGE_KEY = 'warden.session';

function load(): SessionState {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return { tokens: raw ? (JSON.parse(raw) as SessionTokens) : undefined, ended: undefined };
  } catch {
    return { tokens: undefined, ended: undefined };
  }
}

function createSessionStore() {
  let state = load();
  const listeners = new Set<() => void>();
  let renewal: Promise<string | undefined> | undefined;

  const set = (next: SessionState) => {
    state = next;
    if (next.tokens) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next.tokens));
    else sessionStorage.removeItem(STORAGE_KEY);
    listeners.forEach((listener) => listener());
  };

  return {
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot: () => state,
    accessToken: () => state.tokens?.accessToken,
    refreshToken: () => state.tokens?.refreshToken,
    start(tokens: SessionTokens) {
      set({ tokens, ended: undefined });
    },
    end(reason: SessionEnd) {
      set({ tokens: undefined, ended: reason });
    },
    /**
     * Renews the access token once for everyone who met its expiry; ends the
     * session when the refresh token is refused too.
     */
    renew(
      refresh: (refreshToken: string) => Promise<SessionTokens | undefined>,
    ): Promise<string | undefined> {
      const refreshToken = state.tokens?.refreshToken;
      if (refreshToken === undefined) return Promise.resolve(undefined);
      renewal ??= refresh(refreshToken)
        .catch(() => undefined)
        .then((tokens) => {
          if (tokens) set({ tokens, ended: undefined });
          else set({ tokens: undefined, ended: 'expired' });
          return tokens?.accessToken;
        })
        .finally(() => {
          renewal = undefined;
        });
      return renewal;
    },
  };
}

export const session = createSessionStore();

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.snapshot);
}
