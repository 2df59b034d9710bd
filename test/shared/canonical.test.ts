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

  it('puts integer-like keys where JCS does, not where Object.keys does', () => {
    expect(canonicalJson({ '10': 1, '9': 2, '1': 3, b: 0, a: 0 })).toBe('{"1":3,"10":1,"9":2,"a":0,"b":0}');
    expect(canonicalJson({ a: { '2': [], '10': {} } })).toBe('{"a":{"10":{},"2":[]}}');
  });

  it('names the first refused value with its path, sorted or not', () => {
    const refusals: [unknown, string][] = [
      [{ a: { '\ud800': 1 } }, 'Lone UTF-16 surrogate at a'],
      [['ok', ['\udc00']], 'Lone UTF-16 surrogate at [1][0]'],
      ['\ud800', 'Lone UTF-16 surrogate'],
      [{ list: [undefined] }, 'undefined in an array at list[0]'],
      [{ b: 1, a: () => 1 }, 'A function has no JSON form at a'],
      [{ toJSON: () => 1 }, 'A function has no JSON form at toJSON'],
      [[new Date(0)], 'Only plain objects have a canonical form at [0]'],
      [{ x: { '10': [1, { y: NaN }] } }, 'Non-finite number at x.10[1].y'],
      [{ a: [1n] }, 'A bigint has no JSON form at a[0]'],
      [undefined, 'A undefined has no JSON form'],
    ];
    for (const [value, message] of refusals) {
      let thrown: unknown = null;
      try {
        canonicalJson(value);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CanonicalJsonError);
      expect((thrown as Error).message).toBe(message);
    }
  });

  it('writes plain data that JSON.stringify would write differently in the sorted form', () => {
    // A non-function toJSON is plain data; null-prototype objects are plain objects.
    expect(canonicalJson({ toJSON: 'x', a: 1 })).toBe('{"a":1,"toJSON":"x"}');
    expect(canonicalJson(Object.assign(Object.create(null), { b: 1, a: [Object.create(null)] }))).toBe('{"a":[{}],"b":1}');
    // An array's own properties other than its items are not data, even a toJSON method.
    expect(canonicalJson({ list: Object.assign([1, 'b'], { toJSON: () => 'other' }) })).toBe('{"list":[1,"b"]}');
    expect(canonicalJson({ a: undefined, b: [1, -0, 1e21, 5e-7], c: '\ud83d\ude00' })).toBe('{"b":[1,0,1e+21,5e-7],"c":"😀"}');
  });

  it('gives the key-sorted form for any JSON value, keys in any order (property)', () => {
    // Integer-like, astral, look-alike and special keys; full-range code units in strings and keys.
    const key = fc.oneof(fc.string({ unit: 'binary', maxLength: 4 }), fc.nat().map(String), fc.constantFrom('a', 'b', '01', '-1', 'toJSON', '__proto__', '\u20ac', '\ud83d\ude00'));
    const { json } = fc.letrec<{ json: unknown }>((tie) => ({
      json: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.boolean(),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string({ unit: 'binary', maxLength: 6 }),
        fc.array(tie('json'), { maxLength: 4 }),
        fc.tuple(fc.array(fc.tuple(key, tie('json')), { maxLength: 5 }), fc.boolean()).map(([entries, bare]) => {
          const record: Record<string, unknown> = bare ? Object.create(null) : {};
          for (const [k, v] of entries) Object.defineProperty(record, k, { value: v, enumerable: true, writable: true, configurable: true });
          return record;
        }),
      ),
    }));
    fc.assert(
      fc.property(json, (value) => {
        if (hasLoneSurrogate(value)) expect(() => canonicalJson(value)).toThrow(/Lone UTF-16 surrogate/);
        else expect(canonicalJson(value)).toBe(sortedJson(value));
      }),
      { seed: 8785, numRuns: 2000 },
    );
  });

  it('tells integer-only payloads apart', () => {
    expect(hasOnlyIntegers({ a: [1, 2, { b: -3 }], c: 'x' })).toBe(true);
    expect(hasOnlyIntegers({ a: [1, 2.5] })).toBe(false);
    expect(hasOnlyIntegers({ a: 2 ** 60 })).toBe(false);
  });
});

/** The test's own JCS writer: sort every object's keys, let JSON.stringify write the rest. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function hasLoneSurrogate(value: unknown): boolean {
  const lone = (text: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
  if (typeof value === 'string') return lone(value);
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => lone(k) || hasLoneSurrogate(v));
  return false;
}
