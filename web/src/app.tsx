// The portal's shell: who is signed in, the navigation for their side, and
// the page the address names.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, onSessionEnded, setCsrfToken } from './api/client';
import { ApiError } from './api/problem';
import type { SessionUser } from './api/types';
import { Banner, Link } from './components/ui';
import { adminPages } from './lib/admin';
import { navigate, useRoute } from './lib/router';
import { DirectoryEntryPage } from './pages/directory_entry';
import { HoldsPage } from './pages/holds';
import { OrganisationsPage } from './pages/admin_organisations';
import { TrustPage } from './pages/admin_trust';
import { UsersPage } from './pages/admin_users';
import { KeysPage, signingRoles } from './pages/keys';
import { LoginPage } from './pages/login';
import { NewRequestPage } from './pages/new_request';
import { RequestListPage } from './pages/request_list';
import { RequestPage } from './pages/request_page';

// The transparency page carries the chart library, which most visits never
// need, so it is fetched the first time it is opened.
function TransparencyLoader() {
  const [page, setPage] = useState<ComponentType | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    import('./pages/transparency')
      .then((m) => setPage(() => m.TransparencyPage))
      .catch((e: unknown) => setFailure(e instanceof Error ? e.message : String(e)));
  }, []);
  if (failure) return <Banner messages={[`The page could not be loaded: ${failure}`]} />;
  const Page = page;
  return Page ? <Page /> : <p>Loading…</p>;
}

export function App() {
  const route = useRoute();
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // A call that finds the session gone, from any page, ends it here: the user
  // signs in again instead of meeting the hub's refusal in some panel.
  useEffect(() => onSessionEnded(() => {
    setCsrfToken(null);
    setUser((current) => {
      if (current) setNotice('Your session has ended. Sign in again to go on; nothing you had saved is lost.');
      return null;
    });
  }), []);

  useEffect(() => {
    call<SessionUser>('/api/v1/me')
      .then(setUser)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setUser(null);
        else setFailure(e instanceof Error ? e.message : String(e));
      });
  }, []);

  // Where the user was when the session ended, to go back there after signing in.
  const [afterSignIn, setAfterSignIn] = useState('/');
  useEffect(() => {
    if (user === null && route.page !== 'login') {
      setAfterSignIn(route.page === 'not-found' ? '/' : window.location.pathname + window.location.search);
      navigate('/login');
    }
  }, [user, route.page]);

  const logout = async () => {
    try {
      await call('/api/v1/session', { method: 'DELETE' });
    } catch {
      // the session may have ended already; the cookie is cleared either way
    }
    setCsrfToken(null);
    navigate('/login');
    setUser(null);
  };

  if (failure) return <main class="page"><Banner messages={[failure]} /></main>;
  if (user === undefined) return <main class="page"><p>Loading…</p></main>;
  if (user === null || route.page === 'login') {
    return <LoginPage notice={notice} onSignedIn={(u) => { setNotice(null); setUser(u); navigate(afterSignIn); }} />;
  }

  const org = user.organisation;
  const side = org?.kind === 'provider' ? 'provider' : org?.kind === 'authority' ? 'authority' : 'hub';
  const admin = adminPages(user);
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <Link href="/" class="brand">Liaison</Link>
        <nav aria-label="Main">
          <Link href="/">{side === 'provider' ? 'Queue' : side === 'hub' ? 'Administration' : 'Requests'}</Link>
          {side === 'authority' && user.roles.some((r) => r === 'officer' || r === 'supervisor') && <Link href="/new">New request</Link>}
          {user.roles.some((r) => signingRoles.includes(r)) && <Link href="/keys">My signing key</Link>}
          {side === 'provider' && <Link href="/holds">Legal holds</Link>}
          {side === 'provider' && user.roles.includes('org_admin') && <Link href="/directory-entry">Directory entry</Link>}
          <Link href="/transparency">Transparency</Link>
          {admin.includes('users') && <Link href="/admin/users">Users</Link>}
          {admin.includes('trust') && <Link href="/admin/trust">Certificates</Link>}
          {admin.includes('organisations') && <Link href="/admin/organisations">Organisations</Link>}
        </nav>
        <div class="who">
          <span>{user.name ?? user.email}</span>
          {org && <span class="org">{org.name} ({org.country})</span>}
          <button type="button" class="link" onClick={logout}>Sign out</button>
        </div>
      </header>
      <main id="main" class="page" tabIndex={-1}>
        {route.page === 'home' && <RequestListPage side={side} orgId={org?.id ?? ''} />}
        {route.page === 'keys' && <KeysPage user={user} />}
        {route.page === 'new' && <NewRequestPage />}
        {route.page === 'request' && <RequestPage id={route.id} user={user} />}
        {route.page === 'transparency' && <TransparencyLoader />}
        {route.page === 'holds' && <HoldsPage canRelease={user.roles.some((r) => r === 'analyst' || r === 'counsel')} />}
        {route.page === 'directory-entry' && <DirectoryEntryPage orgId={org?.id ?? ''} />}
        {route.page === 'admin-users' && <UsersPage user={user} />}
        {route.page === 'admin-trust' && <TrustPage user={user} />}
        {route.page === 'admin-organisations' && <OrganisationsPage user={user} />}
        {route.page === 'not-found' && <Banner messages={[`There is no page at ${route.path}.`]} />}
      </main>
    </>
  );
}
