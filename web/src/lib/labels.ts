// Words for the hub's codes: data categories, offences, target kinds, channels
// and how well a route's sources are checked, so that no page shows
// "SubscriberData" or "non_cash_payment_fraud" to a person.

export const categoryLabels: Record<string, string> = {
  SubscriberData: 'Subscriber data',
  UserIdentifyingData: 'Data identifying the user (e.g. who had an IP address)',
  TrafficData: 'Traffic data',
  StoredContentData: 'Stored content',
};

// Shorter forms for lists ("Holds: subscriber data, traffic data").
const categoryShort: Record<string, string> = {
  SubscriberData: 'subscriber data',
  UserIdentifyingData: 'data identifying the user',
  TrafficData: 'traffic data',
  StoredContentData: 'stored content',
};

export const offenceLabels: Record<string, string> = {
  other: 'Other offence',
  attack_on_information_systems: 'Attack on information systems',
  child_sexual_abuse: 'Child sexual abuse',
  non_cash_payment_fraud: 'Fraud with non-cash means of payment',
  terrorism: 'Terrorism',
};

export const targetKindLabels: Record<string, string> = {
  email: 'E-mail address',
  phone: 'Telephone number',
  account: 'Account',
  username: 'User name',
  domain: 'Domain name',
  ip: 'IP address',
  crypto: 'Crypto-asset address',
};

export const channelLabels: Record<string, string> = {
  provider: 'the provider',
  '247_network': '24/7 network of contact points',
  central_authority: 'central authority',
};

export const authorityLabels: Record<string, string> = {
  police: 'police authority',
  prosecutor: 'prosecutor',
  judge: 'judge',
  central_authority: 'central authority',
};

function humanise(code: string): string {
  return code.replace(/_/g, ' ');
}

export function categoryLabel(code: string): string {
  return categoryLabels[code] ?? humanise(code);
}

export function categoryList(codes: string[]): string {
  const words = codes.map((c) => categoryShort[c] ?? humanise(c));
  if (words.length === 0) return '';
  const s = words.join(', ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function offenceLabel(code: string): string {
  return offenceLabels[code] ?? humanise(code);
}

export function targetKindLabel(code: string): string {
  return targetKindLabels[code] ?? humanise(code);
}

export function channelLabel(code: string): string {
  return channelLabels[code] ?? humanise(code);
}

export function authorityLabel(code: string): string {
  return authorityLabels[code] ?? humanise(code);
}

// What a route's verification tag means for the officer (docs/law.md): the
// weakest source the route rests on. Nothing to say when all are verified.
export function verificationNote(tag: string): string | undefined {
  if (tag === 'secondary') return 'some rules checked only against secondary sources (e.g. a law firm\'s note): confirm before relying on it';
  if (tag === 'unverified') return 'some rules not yet checked against any source: verify them before relying on this route';
  return undefined;
}

// A route by its name where the hub gave one; otherwise its id made readable
// ("eu-2023-1543/epoc-subscriber" becomes "EU 2023/1543: EPOC subscriber").
export function routeLabel(id: string, names: Record<string, string> = {}): string {
  if (names[id]) return names[id];
  const [instrument, rest] = id.split('/', 2);
  const inst = /^eu-(\d{4})-(\d+)$/.exec(instrument ?? '');
  const head = inst ? `EU ${inst[1]}/${inst[2]}` : humanise(instrument ?? id);
  return rest ? `${head}: ${rest.replace(/-/g, ' ').replace(/\bepoc\b/g, 'EPOC').replace(/\bepoc pr\b/g, 'EPOC-PR')}` : head;
}
