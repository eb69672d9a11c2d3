import { describe, expect, it } from 'vitest';
import { entryOf, formOf, ownEntry, type DirectoryEntry } from './directory_entry';

const entry: DirectoryEntry = {
  id: 'example-mail', example: true, version: 3, name: 'Example Mail', legal_entity: 'Example Mail Ltd',
  establishment_country: 'IE', time_zone: 'Europe/Dublin', eu_legal_representative: null,
  contact: { hub_org_id: 'org-1', hub_endpoint: null, portal_url: 'https://le.mail.example.org/', email: null,
    emergency_phone: '+35315550100' },
  data_categories: ['SubscriberData', 'TrafficData'], retention_notes: 'Six months.',
  preservation_policy: { days: 90, extendable: true, extension_days: 90, notes: 'On order.' },
  emergency_policy: { accepts_foreign: true, hours: 8, notes: 'Around the clock.' },
  foreign_requests: { voluntary_non_content: false, notes: 'MLA.' },
  user_notification_policy: { notifies_users: true, notes: 'Unless told not to.' },
  languages: ['en', 'ga'], updated_at: '2026-12-01T10:00:00.000000Z', updated_by: 'hub',
};

describe('directory entry form', () => {
  it('gives back the entry unchanged when nothing was edited', () => {
    expect(entryOf(formOf(entry), entry)).toEqual(entry);
  });

  it('changes only what was edited, and keeps what the form does not show', () => {
    const form = { ...formOf(entry), preservation_days: '180', languages: 'en ga, de', email: ' legal@mail.example.org ' };
    const edited = entryOf(form, entry);
    expect(edited['preservation_policy']).toEqual({ days: 180, extendable: true, extension_days: 90, notes: 'On order.' });
    expect(edited['languages']).toEqual(['en', 'ga', 'de']);
    expect(edited['contact']).toEqual({ ...(entry['contact'] as object), email: 'legal@mail.example.org' });
    expect(edited['example']).toBe(true);
    expect(edited['version']).toBe(3);
  });

  it('drops the extension when preservation is not extendable, and an empty hours target', () => {
    const form = { ...formOf(entry), preservation_extendable: false, emergency_hours: '' };
    const edited = entryOf(form, entry);
    expect(edited['preservation_policy']).toEqual({ days: 90, extendable: false, notes: 'On order.' });
    expect(edited['emergency_policy']).toEqual({ accepts_foreign: true, notes: 'Around the clock.' });
  });

  it('sends a number that does not read as one as typed, for the hub to name', () => {
    const edited = entryOf({ ...formOf(entry), preservation_days: 'ninety' }, entry);
    expect((edited['preservation_policy'] as Record<string, unknown>)['days']).toBe('ninety');
  });

  it('keeps the categories in their canonical order', () => {
    const edited = entryOf({ ...formOf(entry), data_categories: ['TrafficData', 'SubscriberData', 'StoredContentData'] }, entry);
    expect(edited['data_categories']).toEqual(['SubscriberData', 'TrafficData', 'StoredContentData']);
  });

  it('finds the organisation\'s own entry by its hub link', () => {
    const other = { ...entry, id: 'example-cloud', contact: { email: 'x@cloud.example.com' } };
    expect(ownEntry([other, entry], 'org-1')?.id).toBe('example-mail');
    expect(ownEntry([other], 'org-1')).toBeUndefined();
  });
});
