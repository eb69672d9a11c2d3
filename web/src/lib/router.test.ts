import { describe, expect, it } from 'vitest';
import { parseRoute } from './router';

describe('routes', () => {
  it('knows the app addresses', () => {
    expect(parseRoute('/')).toEqual({ page: 'home' });
    expect(parseRoute('/login')).toEqual({ page: 'login' });
    expect(parseRoute('/transparency')).toEqual({ page: 'transparency' });
    expect(parseRoute('/holds')).toEqual({ page: 'holds' });
    expect(parseRoute('/directory-entry')).toEqual({ page: 'directory-entry' });
    expect(parseRoute('/keys')).toEqual({ page: 'keys' });
    expect(parseRoute('/admin/users')).toEqual({ page: 'admin-users' });
    expect(parseRoute('/admin/trust')).toEqual({ page: 'admin-trust' });
    expect(parseRoute('/admin/organisations')).toEqual({ page: 'admin-organisations' });
    expect(parseRoute('/requests/0F6B2C1E-0000-4000-8000-000000000001/')).toEqual({
      page: 'request', id: '0f6b2c1e-0000-4000-8000-000000000001',
    });
  });
  it('sends anything else to not-found', () => {
    expect(parseRoute('/requests/42')).toEqual({ page: 'not-found', path: '/requests/42' });
    expect(parseRoute('/admin/../etc')).toEqual({ page: 'not-found', path: '/admin/../etc' });
    expect(parseRoute('/admin')).toEqual({ page: 'not-found', path: '/admin' });
  });
});
