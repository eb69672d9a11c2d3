import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical';

describe('canonical JSON', () => {
  it('sorts members by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const value = {
      '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Read the values in the text's order: JSON.parse would put "1" first again.
    expect([...canonicalJson(value).matchAll(/:"([^"]*)"/g)].map((m) => m[1])).toEqual([
      'Carriage Return', 'One', 'Control', 'Latin Small Letter O With Diaeresis', 'Euro Sign',
      'Emoji: Grinning Face', 'Hebrew Letter Dalet With Dagesh',
    ]);
  });
  it('writes numbers, literals and strings as ECMAScript does (RFC 8785 §3.2.2 example)', () => {
    const value = { numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001], string: '\u20ac$\u000f\nA\'B"\\\\"/', literals: [null, true, false] };
    expect(canonicalJson(value)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });
  it('nests and refuses what JSON cannot say', () => {
    expect(canonicalJson({ b: [{ d: 1, c: null }], a: {} })).toBe('{"a":{},"b":[{"c":null,"d":1}]}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
  });
});
