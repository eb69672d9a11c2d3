// Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) for the
// values the hub signs: objects with members sorted by their names' UTF-16
// code units, no white space, strings and numbers written as ECMAScript
// writes them. The hub's signatures are over exactly these bytes.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function canonicalJson(value: Json): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('canonical JSON has no infinities or NaN');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  // Array.prototype.sort compares UTF-16 code units, as RFC 8785 §3.2.3 asks.
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as Json)}`).join(',')}}`;
}
