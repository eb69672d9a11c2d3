// ISO 3166-1 alpha-2 country codes with their English names, for choosing a
// country from a list rather than typing a code.
const codes = ('AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
  'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
  'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW').split(' ');

const names: Record<string, string> = (() => {
  const out: Record<string, string> = {};
  let display: Intl.DisplayNames | undefined;
  try { display = new Intl.DisplayNames(['en'], { type: 'region' }); } catch { display = undefined; }
  for (const c of codes) out[c] = display?.of(c) ?? c;
  return out;
})();

export interface Country { code: string; name: string }

// Every country, by name.
export const countries: Country[] = codes.map((code) => ({ code, name: names[code]! }))
  .sort((a, b) => a.name.localeCompare(b.name, 'en'));

export function isCountryCode(code: string): boolean {
  return codes.includes(code);
}

export function countryName(code: string): string {
  return names[code] ?? code;
}

// What is wrong with a country the user gave, in words, or undefined.
export function countryError(code: string): string | undefined {
  const c = code.trim();
  if (!c) return 'choose a country';
  if (!isCountryCode(c.toUpperCase())) return `"${c}" is not an ISO 3166-1 country code: choose the country from the list`;
  return undefined;
}
