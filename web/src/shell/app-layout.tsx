import { AppShell, Burger, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { can } from '../../../src/auth/roles';
import { useSession } from '../api/session-store';
import { NAV_ITEMS } from './nav-items';
import { UserMenu } from './user-menu';

/** The frame of every signed-in page: header with the church and user, menu by role, content. */
export default function AppLayout() {
  const session = useSession()!;
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  const items = NAV_ITEMS.filter((i) => can(session.user.role, i.permission));

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Title order={2} size="h4">
              Steeple
            </Title>
            <Text c="dimmed" visibleFrom="xs">
              {session.church.name}
            </Text>
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {items.map((i) => (
          <NavLink
            key={i.to}
            component={RouterLink}
            to={i.to}
            label={i.label}
            onClick={close}
            active={i.to === '/' ? pathname === '/' : pathname.startsWith(i.to)}
            variant="filled"
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main component="main">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
