import { describe, expect, it } from 'vitest';
import { categoryLabel, categoryList, offenceLabel, routeLabel, targetKindLabel, verificationNote } from './labels';

describe('labels', () => {
  it('names data categories in words', () => {
    expect(categoryLabel('SubscriberData')).toBe('Subscriber data');
    expect(categoryList(['SubscriberData', 'UserIdentifyingData', 'TrafficData'])).toBe('Subscriber data, data identifying the user, traffic data');
    expect(categoryList([])).toBe('');
  });
  it('names offences and target kinds, and keeps unknown codes readable', () => {
    expect(offenceLabel('non_cash_payment_fraud')).toBe('Fraud with non-cash means of payment');
    expect(offenceLabel('new_offence')).toBe('new offence');
    expect(targetKindLabel('ip')).toBe('IP address');
  });
  it('explains the weaker verification tags only', () => {
    expect(verificationNote('verified')).toBeUndefined();
    expect(verificationNote('secondary')).toMatch(/secondary sources/);
    expect(verificationNote('unverified')).toMatch(/not yet checked/);
  });
  it('prefers the name the hub gives a route', () => {
    expect(routeLabel('eu-2023-1543/epoc-subscriber', { 'eu-2023-1543/epoc-subscriber': 'European Production Order' })).toBe('European Production Order');
    expect(routeLabel('eu-2023-1543/epoc-subscriber')).toBe('EU 2023/1543: EPOC subscriber');
  });
});
