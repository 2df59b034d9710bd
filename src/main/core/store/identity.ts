// This device's identity: an id and an Ed25519 key pair. The private key lives in a file only
// its owner can read; the database holds the public key, so a copied database alone cannot sign.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, hash as hashOnce, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, chmodSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDir } from '../durable.ts';

export const KEY_FILE = 'device-key.pem';

export interface DeviceKeys {
  readonly id: string;
  readonly publicKey: Buffer;
  readonly privateKey: KeyObject;
  readonly fingerprint: string;
}

/** 16 hex digits: fits the HLC's device field and reads well in `device:seq` ids. */
export function newDeviceId(): string {
  return randomBytes(8).toString('hex');
}

export function newPersonId(): string {
  return `p${randomBytes(8).toString('hex')}`;
}

export function generateKeys(id: string): DeviceKeys & { pem: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicKey = rawPublicKey(privateKey);
  return { id, privateKey, publicKey, fingerprint: fingerprintOf(publicKey), pem };
}

export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('Not an Ed25519 key.');
  return Buffer.from(jwk.x, 'base64url');
}

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/** What people compare when admitting a device: 80 bits of the key's hash in groups of four. */
export function fingerprintOf(publicKey: Buffer): string {
  const hex = createHash('sha256').update(publicKey).digest('hex').slice(0, 20);
  return hex.match(/.{4}/g)!.join('-');
}

export function sha256(text: string | Buffer): Buffer {
  // One-shot: a third cheaper than a createHash chain for event-sized inputs.
  return hashOnce('sha256', text, 'buffer');
}

export function signHash(privateKey: KeyObject, hash: Buffer): Buffer {
  return sign(null, hash, privateKey);
}

export function verifyHash(publicKey: KeyObject, hash: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, hash, publicKey, signature);
  } catch {
    return false;
  }
}

export function keyFilePath(dataDir: string): string {
  return join(dataDir, KEY_FILE);
}

/** Written whole or not at all: temp file (0600), fsync, rename, fsync the folder. */
export function writeKeyFile(path: string, pem: string): void {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, pem);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  fsyncDir(dirname(path));
}

export function readKeyFile(path: string): KeyObject | null {
  if (!existsSync(path)) return null;
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    // Someone loosened it (a copy, an archive tool): tighten before using it.
    chmodSync(path, 0o600);
  }
  return createPrivateKey(readFileSync(path, 'utf8'));
}

