import { List, ThemeIcon, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { passwordChecklist, RULE_LIMITS } from './credentials';

/** The password rules, each ticked off live as the new password is typed. */
export function PasswordChecklist({ password, email }: { password: string; email?: string }) {
  const { t } = useTranslation();
  return (
    <List
      size="sm"
      spacing={2}
      aria-label={t('signIn:passwordRules.title')}
      data-testid="password-rules"
    >
      {passwordChecklist(password, email).map(({ rule, met }) => (
        <List.Item
          key={rule}
          data-rule={rule}
          data-met={met}
          icon={
            <ThemeIcon color={met ? 'teal' : 'gray'} size={18} radius="xl">
              {met ? <IconCheck size={12} aria-hidden /> : <IconX size={12} aria-hidden />}
            </ThemeIcon>
          }
        >
          {t(`signIn:passwordRules.${rule}`, RULE_LIMITS)}
          <VisuallyHidden>
            {met ? t('signIn:passwordRules.met') : t('signIn:passwordRules.notMet')}
          </VisuallyHidden>
        </List.Item>
      ))}
    </List>
  );
}
