// RFC 8785 canonical JSON: the examples from the RFC plus properties that matter for hashing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError, hasOnlyIntegers } from '../../src/shared/events/canonical.ts';

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units (RFC 8785 §3.2.3)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Read the keys off the text: Object.keys would put the integer-like "1" first regardless.
    const text = canonicalJson(input);
    const keys = [...text.matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('serialises numbers, literals and strings as the RFC example does (§3.2.2)', () => {
    const input = {
      // The RFC's literal has more digits than a double keeps; parse it as the RFC's input does.
      numbers: [Number('333333333.33333329'), 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      literals: [null, true, false],
    };
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson({ b: [], a: {} })).toBe('{"a":{},"b":[]}');
  });

  it('refuses what JSON cannot carry the same way everywhere', () => {
    for (const bad of [NaN, Infinity, { a: undefined, b: () => 1 }, ['\ud800'], { x: new Date(0) }, [undefined], 10n]) {
      expect(() => canonicalJson(bad)).toThrow(CanonicalJsonError);
    }
    // undefined members are dropped, as JSON.stringify does.
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson({ deep: { list: [1, { bad: NaN }] } })).toThrow(/deep\.list\[1\]\.bad/);
  });

  it('is stable under re-parsing and key order (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = canonicalJson(value);
        expect(canonicalJson(JSON.parse(once))).toBe(once);
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          const reversed = Object.fromEntries(Object.entries(value).reverse());
          expect(canonicalJson(reversed)).toBe(once);
        }
      }),
      { seed: 8785, numRuns: 300 },
    );
  });

  it('tells integer-only payloads apart', () => {
    expect(hasOnlyIntegers({ a: [1, 2, { b: -3 }], c: 'x' })).toBe(true);
    expect(hasOnlyIntegers({ a: [1, 2.5] })).toBe(false);
    expect(hasOnlyIntegers({ a: 2 ** 60 })).toBe(false);
  });
});
