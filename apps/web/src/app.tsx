import type { FunctionComponent } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type Api, createApi, type Credential, type Principal, whoAmI } from './api';
import type { PageProps } from './pages/page';
import { Link, usePathname } from './router';
import { type PageRoute, routeFor, routesFor } from './routes';
import { BrowserSession } from './browser-session';
import { forgetCredential, saveCredential, savedCredential } from './session-storage';
import { type Notice, SignIn } from './sign-in';

type Session =
  | { status: 'checking'; credential: Credential }
  | { status: 'restoring' }
  | { status: 'signedOut'; notice?: Notice }
  | { status: 'signedIn'; principal: Principal; api: Api; credential: Credential };

const SESSION_EXPIRED: Notice = { tone: 'error', text: 'Your session expired — sign in again' };

function initialSession(): Session {
  const credential = savedCredential();
  if (credential !== undefined) return { status: 'checking', credential };
  return BrowserSession.mayRestore() ? { status: 'restoring' } : { status: 'signedOut' };
}

/** The dashboard: sign-in while signed out, the shell and its pages while signed in. */
export function App() {
  const [session, setSession] = useState<Session>(initialSession);

  const signOut = useCallback((notice?: Notice) => {
    forgetCredential();
    setSession({ status: 'signedOut', notice });
  }, []);

  const signIn = useCallback(
    (credential: Credential, principal: Principal) => {
      saveCredential(credential);
      // A session's call is refused only after its refresh failed: the session has expired.
      const api = createApi(credential, (detail) =>
        signOut(
          credential.kind === 'session'
            ? SESSION_EXPIRED
            : {
                tone: 'error',
                text: `Your session has ended (${detail}). Sign in again to continue.`,
              },
        ),
      );
      setSession({ status: 'signedIn', principal, api, credential });
    },
    [signOut],
  );

  // A reload keeps the tab signed in, if the stored key still works.
  useEffect(() => {
    if (session.status !== 'checking') return;
    const { credential } = session;
    whoAmI(credential).then(
      (answer) =>
        'principal' in answer
          ? signIn(credential, answer.principal)
          : signOut({
              tone: 'error',
              text: `Your session has ended (${answer.refused}). Sign in again to continue.`,
            }),
      () => signOut({ tone: 'error', text: 'The API could not be reached; sign in again.' }),
    );
  }, [session, signIn, signOut]);

  // A reload of a password session: the refresh cookie renews the access token kept in memory.
  useEffect(() => {
    if (session.status !== 'restoring') return;
    const restored = BrowserSession.restore().then(async (browserSession) => {
      if (browserSession === undefined) return undefined;
      const credential: Credential = { kind: 'session', session: browserSession };
      const answer = await whoAmI(credential);
      return 'principal' in answer ? { credential, principal: answer.principal } : undefined;
    });
    restored.then(
      (signedIn) =>
        signedIn === undefined
          ? signOut(SESSION_EXPIRED)
          : signIn(signedIn.credential, signedIn.principal),
      () => signOut({ tone: 'error', text: 'The API could not be reached; sign in again.' }),
    );
  }, [session, signIn, signOut]);

  const signOutByChoice = (credential: Credential) => {
    const signedOut = () => signOut({ tone: 'info', text: 'You have signed out.' });
    if (credential.kind === 'session') void credential.session.logout().then(signedOut);
    else signedOut();
  };

  switch (session.status) {
    case 'checking':
    case 'restoring':
      return (
        <main id="main" class="sign-in">
          <p role="status">Signing in…</p>
        </main>
      );
    case 'signedOut':
      return <SignIn notice={session.notice} onSignedIn={signIn} />;
    case 'signedIn':
      return (
        <Shell
          api={session.api}
          principal={session.principal}
          onSignOut={() => signOutByChoice(session.credential)}
        />
      );
  }
}

interface ShellProps {
  api: Api;
  principal: Principal;
  onSignOut: () => void;
}

function Shell({ api, principal, onSignOut }: ShellProps) {
  const pathname = usePathname();
  const routes = routesFor(principal);
  const route = routeFor(routes, pathname);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top-bar">
        <span class="brand">Sightline</span>
        <span class="who">
          {principal.kind === 'apiKey' ? 'API key' : 'Signed in'} · {principal.role}
        </span>
        <button type="button" class="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <div class="layout">
        <nav aria-label="Main" class="main-nav">
          <ul>
            {routes.map((candidate) => (
              <li key={candidate.path}>
                <Link href={candidate.path} aria-current={candidate === route ? 'page' : undefined}>
                  {candidate.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {route === undefined ? (
            <NoSuchPage />
          ) : (
            <LazyPage route={route} api={api} principal={principal} pathname={pathname} />
          )}
        </main>
      </div>
    </>
  );
}

type Loaded =
  | { status: 'loading' }
  | { status: 'loaded'; route: PageRoute; Page: FunctionComponent<PageProps> }
  | { status: 'failed'; route: PageRoute };

/** Loads the route's page on first visit; after a navigation, moves focus to its heading. */
function LazyPage({
  route,
  api,
  principal,
  pathname,
}: {
  route: PageRoute;
  api: Api;
  principal: Principal;
  pathname: string;
}) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const firstPath = useRef(pathname);

  useEffect(() => {
    let current = true;
    document.title = `${route.label} · Sightline`;
    route.load().then(
      (module) => current && setLoaded({ status: 'loaded', route, Page: module.default }),
      () => current && setLoaded({ status: 'failed', route }),
    );
    return () => {
      current = false;
    };
  }, [route]);

  // Focus follows a navigation (not the first render) so a screen reader announces the page.
  useEffect(() => {
    if (loaded.status !== 'loaded' || loaded.route !== route || pathname === firstPath.current) {
      return;
    }
    firstPath.current = pathname;
    document.querySelector<HTMLElement>('#main h1')?.focus();
  }, [loaded, route, pathname]);

  if (loaded.status === 'loading' || loaded.route !== route) {
    return <p role="status">Loading…</p>;
  }
  if (loaded.status === 'failed') {
    return (
      <p role="alert" class="problem">
        This page could not be loaded (a new version may have been deployed): reload the page.
      </p>
    );
  }
  const { Page } = loaded;
  return <Page api={api} principal={principal} title={route.label} />;
}

function NoSuchPage() {
  useEffect(() => {
    document.title = 'No such page · Sightline';
  }, []);
  return (
    <>
      <h1 tabIndex={-1}>No such page</h1>
      <p>
        Nothing lives at this address. Go to the <Link href="/">overview</Link>.
      </p>
    </>
  );
}
