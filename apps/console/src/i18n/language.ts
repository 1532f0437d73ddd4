import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ME_QUERY_KEY } from '../auth/me';
import { session } from '../auth/session';
import { isLanguage, type Language, rememberLanguage } from './i18n';

/**
 * The console's language and the switch: signed in, the choice is saved to
 * the administrator's profile (the default of every later session); before
 * sign-in, to this browser.
 */
export function useLanguage(): { language: Language; setLanguage: (next: Language) => void } {
  const { i18n } = useTranslation();
  const queryClient = useQueryClient();
  const saveToProfile = useMutation({
    mutationFn: (language: Language) => unwrap(api.PATCH('/api/v1/me', { body: { language } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY }),
  });
  const language = isLanguage(i18n.language) ? i18n.language : 'ja';
  return {
    language,
    setLanguage: (next) => {
      rememberLanguage(next);
      void i18n.changeLanguage(next);
      if (session.accessToken() !== undefined) saveToProfile.mutate(next);
    },
  };
}
