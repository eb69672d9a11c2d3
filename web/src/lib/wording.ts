// A hub message as the browser shows it. The hub writes its messages for the
// command line and the API as well: they name commands ("(liaison request
// sign)"), endpoints ("(GET /api/v1/routes lists them)"), action codes
// ("request_clarification") and field paths ("package/header/magic: ").
// hubMessage keeps the sentence and drops or rewords those.
import { categoryLabels, offenceLabels } from './labels';

const actionWords: Record<string, string> = {
  request_clarification: 'ask a question',
  notify_user: 'mark the user notified',
  not_available: 'say the data is not available',
  follow_up: 'record the follow-up process',
  emergency_disclosure: 'emergency disclosure',
  domain_registration: 'domain registration',
};

// Commands that stand in for a verb after "to".
const commandVerbs: [RegExp, string][] = [
  [/\bto \(liaison request validator\)/g, 'to validate it (choose the validator on the request page)'],
  // Budapest Art. 18(1)(b): the route query takes the officer's statement,
  // but a draft cannot carry it, so the portal cannot open the route.
  [/the directory cannot tell, so the officer must state it \(offers_services\)/g,
    'Liaison cannot record that statement on a request, so this route is not open here: choose another route, or use mutual legal assistance outside Liaison'],
];

function isHint(inner: string): boolean {
  return /(^|[\s'"])liaison [a-z]/.test(inner) ||
    /\b(GET|POST|PUT|PATCH|DELETE) \/api\//.test(inner) ||
    /\/api\/v1\//.test(inner) ||
    /^'?evidence [a-z]+'?$/.test(inner) ||
    /^[a-z]+(_[a-z]+)+$/.test(inner) || // a bare code: "(offers_services)"
    /\bbytes \d+[-–]\d+\b/.test(inner);
}

export function hubMessage(text: string): string {
  let s = text;
  for (const [re, words] of commandVerbs) s = s.replace(re, words);
  // Parenthesised hints, innermost first; none of them nest in practice.
  s = s.replace(/\s*\(([^()]*)\)/g, (whole, inner: string) => (isHint(inner) ? '' : whole));
  // A leading field path ("package/header/magic: ") names where, not what.
  s = s.replace(/^[a-z_]+(\/[a-z0-9_]+)+:\s*/i, '');
  s = s.replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (code) => actionWords[code] ?? offenceLabels[code]?.toLowerCase() ?? code);
  s = s.replace(/\b(SubscriberData|UserIdentifyingData|TrafficData|StoredContentData)\b/g, (c) => categoryLabels[c]!.toLowerCase());
  return s.replace(/\s+([;,.])/g, '$1').replace(/\s{2,}/g, ' ').trim();
}
