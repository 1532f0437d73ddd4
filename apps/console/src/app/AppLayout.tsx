import {
  AppShell,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconChevronDown,
  IconDashboard,
  IconDeviceDesktop,
  IconDownload,
  IconFolders,
  IconListCheck,
  IconSettings,
  IconShieldCheck,
  IconUsers,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { CONSOLE_APP_PATHS as PATHS } from '@warden/contracts';
import { type ComponentType, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { api } from '../api/client';
import { usePermissions, useMe } from '../auth/me';
import { session } from '../auth/session';
import { formatPersonName } from '../i18n/format';
import { useLanguage } from '../i18n/language';
import { LanguageSwitch } from './LanguageSwitch';

interface NavEntry {
  to: string;
  label: string;
  icon: ComponentType<{ size?: number; 'aria-hidden'?: boolean }>;
  /** Only super admins see it (the API refuses the others anyway). */
  superAdminOnly?: boolean;
}

const NAV: NavEntry[] = [
  { to: PATHS.dashboard, label: 'nav.dashboard', icon: IconDashboard },
  { to: PATHS.endpoints, label: 'nav.endpoints', icon: IconDeviceDesktop },
  { to: PATHS.groups, label: 'nav.groups', icon: IconFolders },
  { to: PATHS.policies, label: 'nav.policies', icon: IconShieldCheck },
  { to: PATHS.installers, label: 'nav.installers', icon: IconDownload },
  { to: PATHS.administrators, label: 'nav.administrators', icon: IconUsers, superAdminOnly: true },
  { to: PATHS.settings, label: 'nav.settings', icon: IconSettings },
  { to: PATHS.auditTrail, label: 'nav.auditTrail', icon: IconListCheck, superAdminOnly: true },
];

/** The signed-in console: navigation, the console's name, language and account menu. */
export function AppLayout() {
  const { t, i18n } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const me = useMe();
  const { superAdmin } = usePermissions();
  const { language } = useLanguage();
  useProfileLanguage(me.data?.language, i18n.changeLanguage.bind(i18n));
  useEffect(close, [location.pathname, close]);

  const isActive = (to: string) =>
    to === PATHS.dashboard ? location.pathname === to : location.pathname.startsWith(to);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.label')}
            />
            <Text fw={700}>{t('product')}</Text>
            {me.data && (
              <Text c="dimmed" size="sm" visibleFrom="sm" data-testid="console-name">
                {me.data.consoleName}
              </Text>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitch />
            <AccountMenu name={me.data ? formatPersonName(me.data, language) : ''} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.label')}>
        <ScrollArea>
          {NAV.filter((entry) => !entry.superAdminOnly || superAdmin).map((entry) => (
            <NavLink
              key={entry.to}
              component={Link}
              to={entry.to}
              label={t(entry.label)}
              leftSection={<entry.icon size={18} aria-hidden />}
              active={isActive(entry.to)}
              aria-current={isActive(entry.to) ? 'page' : undefined}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

/** On sign-in the console speaks the administrator's language (their profile's). */
function useProfileLanguage(language: string | undefined, change: (lng: string) => unknown) {
  const applied = useRef(false);
  useEffect(() => {
    if (language === undefined || applied.current) return;
    applied.current = true;
    void change(language);
  }, [language, change]);
}

function AccountMenu({ name }: { name: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  // Ends the session on the server too, then here: RequireSession shows the login page.
  const logout = async () => {
    await api.POST('/api/v1/auth/logout').catch(() => undefined);
    session.end('signed_out');
    queryClient.clear();
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton data-testid="account-menu">
          <Group gap={4} wrap="nowrap">
            <Text size="sm">{name}</Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component={Link} to={PATHS.account}>
          {t('nav.account')}
        </Menu.Item>
        <Menu.Item color="red" onClick={() => void logout()}>
          {t('actions.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
