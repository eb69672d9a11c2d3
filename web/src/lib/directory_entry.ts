// A provider's directory entry (docs/directory.md) as its org admin edits it
// in the portal: the entry becomes a form of text fields and ticks, and the
// form becomes the whole entry again for PUT /api/v1/directory/{id}. What the
// form does not show (the hub link, the EU representative, the example mark)
// is sent back exactly as read, so an edit changes only what was edited.

export type DirectoryEntry = Record<string, unknown> & { id: string; version: number };

export const dataCategories = ['SubscriberData', 'UserIdentifyingData', 'TrafficData', 'StoredContentData'] as const;

export interface EntryForm {
  name: string;
  legal_entity: string;
  establishment_country: string;
  time_zone: string;
  portal_url: string;
  email: string;
  emergency_phone: string;
  data_categories: string[];
  retention_notes: string;
  preservation_days: string;
  preservation_extendable: boolean;
  preservation_extension_days: string;
  preservation_notes: string;
  emergency_accepts_foreign: boolean;
  emergency_hours: string;
  emergency_notes: string;
  voluntary_non_content: boolean;
  foreign_notes: string;
  notifies_users: boolean;
  notification_notes: string;
  languages: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function formOf(entry: DirectoryEntry): EntryForm {
  const contact = obj(entry['contact']);
  const preservation = obj(entry['preservation_policy']);
  const emergency = obj(entry['emergency_policy']);
  const foreign = obj(entry['foreign_requests']);
  const notification = obj(entry['user_notification_policy']);
  return {
    name: text(entry['name']),
    legal_entity: text(entry['legal_entity']),
    establishment_country: text(entry['establishment_country']),
    time_zone: text(entry['time_zone']),
    portal_url: text(contact['portal_url']),
    email: text(contact['email']),
    emergency_phone: text(contact['emergency_phone']),
    data_categories: Array.isArray(entry['data_categories']) ? entry['data_categories'].map(String) : [],
    retention_notes: text(entry['retention_notes']),
    preservation_days: text(preservation['days']),
    preservation_extendable: preservation['extendable'] === true,
    preservation_extension_days: text(preservation['extension_days']),
    preservation_notes: text(preservation['notes']),
    emergency_accepts_foreign: emergency['accepts_foreign'] === true,
    emergency_hours: text(emergency['hours']),
    emergency_notes: text(emergency['notes']),
    voluntary_non_content: foreign['voluntary_non_content'] === true,
    foreign_notes: text(foreign['notes']),
    notifies_users: notification['notifies_users'] === true,
    notification_notes: text(notification['notes']),
    languages: Array.isArray(entry['languages']) ? entry['languages'].join(', ') : '',
  };
}

// An empty optional text is left out; a number that does not read as one is
// sent as typed, so that the hub names the field and says why.
const optional = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());
const number = (s: string): number | string | undefined => {
  const t = s.trim();
  if (t === '') return undefined;
  return /^-?\d+$/.test(t) ? Number(t) : t;
};
const withoutUndefined = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function entryOf(form: EntryForm, original: DirectoryEntry): DirectoryEntry {
  const contact = obj(original['contact']);
  return {
    ...original,
    name: form.name.trim(),
    legal_entity: form.legal_entity.trim(),
    establishment_country: form.establishment_country.trim().toUpperCase(),
    time_zone: form.time_zone.trim(),
    contact: withoutUndefined({
      ...contact,
      portal_url: optional(form.portal_url) ?? null,
      email: optional(form.email) ?? null,
      emergency_phone: optional(form.emergency_phone) ?? null,
    }),
    data_categories: dataCategories.filter((c) => form.data_categories.includes(c)),
    retention_notes: optional(form.retention_notes) ?? null,
    preservation_policy: withoutUndefined({
      days: number(form.preservation_days),
      extendable: form.preservation_extendable,
      extension_days: form.preservation_extendable ? number(form.preservation_extension_days) : undefined,
      notes: form.preservation_notes.trim(),
    }),
    emergency_policy: withoutUndefined({
      accepts_foreign: form.emergency_accepts_foreign,
      hours: number(form.emergency_hours),
      notes: form.emergency_notes.trim(),
    }),
    foreign_requests: { voluntary_non_content: form.voluntary_non_content, notes: form.foreign_notes.trim() },
    user_notification_policy: { notifies_users: form.notifies_users, notes: form.notification_notes.trim() },
    languages: form.languages.split(/[\s,]+/).map((l) => l.trim()).filter(Boolean),
  };
}

// The organisation's own entry: the one whose contact names it on this hub.
export function ownEntry(entries: DirectoryEntry[], orgId: string): DirectoryEntry | undefined {
  return entries.find((e) => obj(e['contact'])['hub_org_id'] === orgId);
}
