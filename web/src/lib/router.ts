// A few addresses, matched by hand: the hub answers every one of them with
// the app (http::StaticSite), and the app routes here.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'login' }
  | { page: 'home' }
  | { page: 'keys' }
  | { page: 'new' }
  | { page: 'transparency' }
  | { page: 'holds' }
  | { page: 'directory-entry' }
  | { page: 'request'; id: string }
  | { page: 'admin-users' }
  | { page: 'admin-trust' }
  | { page: 'admin-organisations' }
  | { page: 'not-found'; path: string };

export function parseRoute(path: string): Route {
  if (path === '/login') return { page: 'login' };
  if (path === '/' || path === '') return { page: 'home' };
  if (path === '/keys') return { page: 'keys' };
  if (path === '/new') return { page: 'new' };
  if (path === '/transparency') return { page: 'transparency' };
  if (path === '/holds') return { page: 'holds' };
  if (path === '/directory-entry') return { page: 'directory-entry' };
  if (path === '/admin/users') return { page: 'admin-users' };
  if (path === '/admin/trust') return { page: 'admin-trust' };
  if (path === '/admin/organisations') return { page: 'admin-organisations' };
  const m = /^\/requests\/([0-9a-fA-F-]{36})\/?$/.exec(path);
  if (m && m[1]) return { page: 'request', id: m[1].toLowerCase() };
  return { page: 'not-found', path };
}

export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  return route;
}

// A link that the app follows itself, so a click does not reload the page;
// a modified click (new tab) is left to the browser.
export function onLinkClick(e: MouseEvent, path: string): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(path);
}
