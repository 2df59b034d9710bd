// Canonical JSON (RFC 8785, JCS): the one byte form an event is hashed and signed in, so every
// device that re-serialises an event computes the same hash.
//
// ECMAScript's JSON.stringify already produces JCS's number and string forms; what it does not
// do is sort keys by UTF-16 code units, refuse values JSON cannot carry, or refuse lone
// surrogates (which would be re-encoded differently by other implementations). So a value whose
// keys are already in order and that holds nothing to refuse is simply stringified; any other
// goes through the exact writer, which sorts and names the first thing it refuses.

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

// String.prototype.isWellFormed (ES2024, not in this project's lib) is native and much cheaper
// than the regex; the regex stays for engines without it.
const nativeWellFormed = (String.prototype as { isWellFormed?: unknown }).isWellFormed;
const isWellFormed: (text: string) => boolean =
  typeof nativeWellFormed === 'function' ? (text) => (text as unknown as { isWellFormed(): boolean }).isWellFormed() : (text) => !LONE_SURROGATE.test(text);

export function canonicalJson(value: unknown): string {
  if (stringifiesCanonically(value)) return JSON.stringify(value);
  const parts: string[] = [];
  write(value, [], parts);
  return parts.join('');
}

/**
 * True when JSON.stringify(value) is already the canonical form: only plain objects (no toJSON)
 * and arrays, every object's keys strictly ascending by UTF-16 code units (Object.keys, the
 * order JSON.stringify writes, lists integer-like keys first, so those usually fail here), no
 * undefined array items, finite numbers, well-formed strings and keys. Builds nothing.
 */
function stringifiesCanonically(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      return isWellFormed(value);
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if ((value as { toJSON?: unknown }).toJSON !== undefined) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined || !stringifiesCanonically(item)) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let previous = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if ((i > 0 && !(previous < key)) || !isWellFormed(key)) return false;
    previous = key;
    const item = record[key];
    // An undefined member is left out by both JSON.stringify and the exact writer.
    if (item !== undefined && !stringifiesCanonically(item)) return false;
  }
  return true;
}

/** Where the exact writer is: object keys and array indexes, formatted only for an error. */
type Path = (string | number)[];

function refuse(message: string, path: Path): CanonicalJsonError {
  let text = '';
  for (const step of path) text = typeof step === 'number' ? `${text}[${step}]` : text ? `${text}.${step}` : step;
  return new CanonicalJsonError(message, text);
}

function write(value: unknown, path: Path, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw refuse('Non-finite number', path);
      // -0 serialises as 0 in both JSON.stringify and JCS.
      out.push(JSON.stringify(value));
      return;
    case 'string':
      out.push(quote(value, path));
      return;
    case 'object':
      break;
    default:
      throw refuse(`A ${typeof value} has no JSON form`, path);
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      const item: unknown = value[i];
      path.push(i);
      if (item === undefined) throw refuse('undefined in an array', path);
      write(item, path, out);
      path.pop();
    }
    out.push(']');
    return;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw refuse('Only plain objects have a canonical form', path);
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is exactly JCS's key order.
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  out.push('{');
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (i > 0) out.push(',');
    out.push(quote(key, path), ':');
    path.push(key);
    write(record[key], path, out);
    path.pop();
  }
  out.push('}');
}

function quote(text: string, path: Path): string {
  if (!isWellFormed(text)) throw refuse('Lone UTF-16 surrogate', path);
  return JSON.stringify(text);
}

/** True when a value holds only integers as numbers (the event log carries no floats). */
export function hasOnlyIntegers(value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.every(hasOnlyIntegers);
  if (value !== null && typeof value === 'object') return Object.values(value).every(hasOnlyIntegers);
  return true;
}
