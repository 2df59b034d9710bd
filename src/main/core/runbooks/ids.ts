// Ids people can type: a kind prefix and 8 characters without look-alikes (no 0/o, 1/l/i).
import { randomBytes } from 'node:crypto';

const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';

export function newId(prefix: 'rel' | 'tpl' | 'run' | 'chk'): string {
  const bytes = randomBytes(8);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return `${prefix}-${out}`;
}
