// Legal holds as the hub serves them (GET /api/v1/holds), and what the
// provider's holds page derives from them.

export interface HoldRenewal {
  at: string;
  previous_expiry: string;
  new_expiry: string;
}

export interface Hold {
  id: string;
  provider_org_id: string;
  issuer_org_id: string;
  request_id: string;
  scope: {
    accounts: { kind: string; value: string }[];
    period?: { start: string; end: string } | null;
    categories: string[];
  };
  created_at: string;
  expires_at: string;
  status: 'active' | 'released' | 'expired';
  renewals: HoldRenewal[];
  released_at: string | null;
  release_reason: string | null;
  expired_at: string | null;
}

export const holdStatusLabels: Record<Hold['status'], string> = {
  active: 'Active',
  released: 'Released',
  expired: 'Expired',
};

// The query for the list: a status, and "expiring within N days" as the
// hub's expiring_before instant.
export function holdsQuery(status: string, withinDays: string, now: Date): string {
  const params = new URLSearchParams({ limit: '500' });
  if (status) params.set('status', status);
  const days = Number(withinDays);
  if (withinDays !== '' && Number.isFinite(days) && days > 0) {
    params.set('expiring_before', new Date(now.getTime() + days * 86_400_000).toISOString());
  }
  return `/api/v1/holds?${params.toString()}`;
}

// Holds that end soonest first: what a provider must act on (extend or let
// lapse) before anything else.
export function bySoonestExpiry(a: Hold, b: Hold): number {
  return a.expires_at.localeCompare(b.expires_at);
}

export function reasonError(reason: string): string | undefined {
  return reason.trim() === '' ? 'say why the data need no longer be kept' : undefined;
}
