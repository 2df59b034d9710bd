// Canonical JSON (RFC 8785, JCS): the one byte form an event is hashed and signed in, so every
// device that re-serialises an event computes the same hash.
//
// ECMAScript's JSON.stringify already produces JCS's number and string forms; what it does not
// do is sort keys by UTF-16 code units, refuse values JSON cannot carry, or refuse lone
// surrogates (which would be re-encoded differently by other implementations).

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class CanonicalJsonError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(path ? `${message} at ${path}` : message);
    this.name = 'CanonicalJsonError';
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, '', parts);
  return parts.join('');
}

function write(value: unknown, path: string, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError('Non-finite number', path);
      // -0 serialises as 0 in both JSON.stringify and JCS.
      out.push(JSON.stringify(value));
      return;
    case 'string':
      out.push(quote(value, path));
      return;
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`A ${typeof value} has no JSON form`, path);
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      const item: unknown = value[i];
      if (item === undefined) throw new CanonicalJsonError('undefined in an array', `${path}[${i}]`);
      write(item, `${path}[${i}]`, out);
    }
    out.push(']');
    return;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalJsonError('Only plain objects have a canonical form', path);
  }
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is exactly JCS's key order.
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  out.push('{');
  keys.forEach((key, i) => {
    if (i > 0) out.push(',');
    out.push(quote(key, path), ':');
    write(record[key], path ? `${path}.${key}` : key, out);
  });
  out.push('}');
}

function quote(text: string, path: string): string {
  if (LONE_SURROGATE.test(text)) throw new CanonicalJsonError('Lone UTF-16 surrogate', path);
  return JSON.stringify(text);
}

/** True when a value holds only integers as numbers (the event log carries no floats). */
export function hasOnlyIntegers(value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.every(hasOnlyIntegers);
  if (value !== null && typeof value === 'object') return Object.values(value).every(hasOnlyIntegers);
  return true;
}
