import { describe, expect, it } from 'vitest';
import { bySoonestExpiry, holdsQuery, reasonError, type Hold } from './holds';

describe('holds', () => {
  const now = new Date('2026-12-04T12:00:00Z');

  it('asks the hub for a status and an expiry horizon', () => {
    expect(holdsQuery('', '', now)).toBe('/api/v1/holds?limit=500');
    expect(holdsQuery('active', '7', now)).toBe(
      '/api/v1/holds?limit=500&status=active&expiring_before=2026-12-11T12%3A00%3A00.000Z');
    expect(holdsQuery('active', 'soon', now)).toBe('/api/v1/holds?limit=500&status=active');
    expect(holdsQuery('', '0', now)).toBe('/api/v1/holds?limit=500');
  });

  it('puts the hold that ends first at the top', () => {
    const hold = (expires_at: string) => ({ expires_at }) as Hold;
    const sorted = [hold('2027-02-01T00:00:00Z'), hold('2026-12-20T00:00:00Z')].sort(bySoonestExpiry);
    expect(sorted.map((h) => h.expires_at)).toEqual(['2026-12-20T00:00:00Z', '2027-02-01T00:00:00Z']);
  });

  it('needs a reason to release', () => {
    expect(reasonError('  ')).toBeDefined();
    expect(reasonError('The investigation closed.')).toBeUndefined();
  });
});
