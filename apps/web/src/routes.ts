import type { Principal } from './api';
import type { PageModule } from './pages/page';

export interface PageRoute {
  /** The path, and the prefix of the page's own paths (`/datasets` holds `/datasets/<id>`). */
  path: string;
  label: string;
  /** Shown to these roles only (a page for actions the others may not take). */
  roles?: ReadonlyArray<Principal['role']>;
  load: () => Promise<PageModule>;
}

/**
 * The dashboard's pages, in navigation order. Not `/metrics` for the metric explorer: the
 * api serves Prometheus' scrape there.
 */
export const PAGE_ROUTES: readonly PageRoute[] = [
  { path: '/', label: 'Overview', load: () => import('./pages/overview') },
  { path: '/explore', label: 'Metrics', load: () => import('./pages/coming-soon') },
  { path: '/datasets', label: 'Datasets', load: () => import('./pages/coming-soon') },
  { path: '/ask', label: 'Ask', load: () => import('./pages/coming-soon') },
  { path: '/analyses', label: 'Analyses', load: () => import('./pages/coming-soon') },
  { path: '/reports', label: 'Reports', load: () => import('./pages/reports') },
  {
    path: '/admin',
    label: 'Administration',
    roles: ['admin'],
    load: () => import('./pages/coming-soon'),
  },
];

/** The routes `principal` may see. */
export function routesFor(principal: Principal): PageRoute[] {
  return PAGE_ROUTES.filter((route) => route.roles?.includes(principal.role) ?? true);
}

/** The route that owns `pathname`, or undefined (the shell shows "no such page"). */
export function routeFor(routes: readonly PageRoute[], pathname: string): PageRoute | undefined {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return routes.find((route) =>
    route.path === '/' ? path === '/' : path === route.path || path.startsWith(`${route.path}/`),
  );
}
