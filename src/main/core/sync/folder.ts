// The shared folder's fixed files: the format marker, each device's device.json (written once)
// and head.json (its signed receipt). Everything read from the folder is validated here.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { canonicalJson } from '../../../shared/events/canonical.ts';
import { DEVICE_ID } from '../../../shared/events/envelope.ts';
import { DEVICE_FILE, DEVICES_DIR, HEAD_FILE, LOG_DIR, MARKER_FILE, classifyForeign } from '../../../shared/sync/names.ts';
import type { SetupRefusal } from '../../../shared/sync/status.ts';
import { fingerprintOf, publicKeyFromRaw, sha256, verifyHash } from '../store/identity.ts';
import { describeFsError, errorCode, isDenied, publishFile } from './fsops.ts';

export const FORMAT = 'warroom-sync';
export const FORMAT_VERSION = 1;

const rawKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url raw 32-byte key');
const isoTime = z.string().max(40);

const markerSchema = z.looseObject({
  format: z.string(),
  version: z.number().int(),
  workspaceId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  genesis: z.looseObject({ deviceId: z.string().regex(DEVICE_ID), publicKey: rawKey }),
  createdAt: isoTime,
});
export type Marker = z.infer<typeof markerSchema>;

const deviceSchema = z.looseObject({
  deviceId: z.string().regex(DEVICE_ID),
  publicKey: rawKey,
  fingerprint: z.string().max(40),
  displayName: z.string().max(80).nullable(),
  createdAt: isoTime,
  appVersion: z.string().max(40),
});
export type DeviceFile = z.infer<typeof deviceSchema>;

const frontier = z.strictObject({ seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/).nullable() });
const headSchema = z.strictObject({
  deviceId: z.string().regex(DEVICE_ID),
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  hlc: z.string().max(100).nullable(),
  merkleRoot: z.string().regex(/^[0-9a-f]{64}$/),
  ingested: z.record(z.string().regex(DEVICE_ID), frontier),
  writtenAt: isoTime,
  sig: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
});
export type HeadFile = z.infer<typeof headSchema>;

export class FolderRefused extends Error {
  constructor(
    message: string,
    readonly code: 'folder_mismatch' | 'format_unsupported' | 'folder_unavailable',
    /** The set-up refusal reason a screen or script picks its words by. */
    readonly reason: SetupRefusal = code === 'folder_mismatch' ? 'other_workspace' : code === 'format_unsupported' ? 'format_unsupported' : 'unreadable',
  ) {
    super(message);
    this.name = 'FolderRefused';
  }
}

export function deviceDir(folder: string, device: string): string {
  return join(folder, DEVICES_DIR, device);
}

export function logDir(folder: string, device: string): string {
  return join(deviceDir(folder, device), LOG_DIR);
}

export type MarkerRead =
  | { kind: 'ok'; marker: Marker }
  | { kind: 'missing' }
  /** `denied`: a permission problem, which needs a person rather than waiting. */
  | { kind: 'unreadable'; reason: string; denied: boolean }
  | { kind: 'refused'; error: FolderRefused };

/** Reads and checks the marker; a newer or unknown format is refused, never "upgraded". */
export function readMarker(folder: string): MarkerRead {
  const path = join(folder, MARKER_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    const denied = isDenied(error);
    const why = denied ? 'permission denied; check that this user account may read and write the folder' : describeFsError(error);
    return { kind: 'unreadable', reason: `${path} cannot be read (${why})`, denied };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // A half-synced marker reads as unavailable for now, not as a different workspace.
    return { kind: 'unreadable', reason: `${MARKER_FILE} is not valid JSON (still being copied?)`, denied: false };
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (format !== FORMAT) {
    return { kind: 'refused', error: new FolderRefused(`${folder} holds a ${MARKER_FILE} of an unknown format (${JSON.stringify(format)}); this is not a Release War Room sync folder.`, 'format_unsupported') };
  }
  const version = (raw as { version?: unknown }).version;
  if (typeof version === 'number' && version > FORMAT_VERSION) {
    return {
      kind: 'refused',
      error: new FolderRefused(`${folder} uses sync format version ${version}; this app understands up to ${FORMAT_VERSION}. Update the app on this device to use it.`, 'format_unsupported', 'format_newer'),
    };
  }
  const parsed = markerSchema.safeParse(raw);
  if (!parsed.success || parsed.data.version !== FORMAT_VERSION) {
    return { kind: 'refused', error: new FolderRefused(`${MARKER_FILE} in ${folder} is malformed (${parsed.success ? 'version' : parsed.error.issues[0]?.message}).`, 'format_unsupported') };
  }
  return { kind: 'ok', marker: parsed.data };
}

/** Names that do not make a folder "used": OS metadata such as desktop.ini or .DS_Store. */
export function isEffectivelyEmpty(folder: string): boolean {
  return readdirSync(folder).every((name) => classifyForeign(name).kind === 'os_metadata');
}

export function writeMarker(folder: string, genesis: { deviceId: string; publicKey: Buffer }, now: number): Marker {
  const marker: Marker = {
    format: FORMAT,
    version: FORMAT_VERSION,
    workspaceId: randomBytes(12).toString('base64url'),
    genesis: { deviceId: genesis.deviceId, publicKey: genesis.publicKey.toString('base64url') },
    createdAt: new Date(now).toISOString(),
  };
  mkdirSync(join(folder, DEVICES_DIR), { recursive: true });
  // Never overwrite: two devices initialising one folder at once keep the first marker.
  publishFile(join(folder, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
  const read = readMarker(folder);
  if (read.kind !== 'ok') throw new FolderRefused(`Could not read back ${MARKER_FILE} in ${folder}.`, 'folder_unavailable');
  return read.marker;
}

export type DeviceFileRead = { kind: 'ok'; file: DeviceFile; publicKey: Buffer } | { kind: 'missing' } | { kind: 'bad'; reason: string };

export function readDeviceFile(folder: string, device: string): DeviceFileRead {
  const path = join(deviceDir(folder, device), DEVICE_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'bad', reason: error instanceof SyntaxError ? 'not valid JSON' : String((error as { code?: string }).code ?? error) };
  }
  const parsed = deviceSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'bad', reason: `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}` };
  if (parsed.data.deviceId !== device) return { kind: 'bad', reason: `it names device ${parsed.data.deviceId}, not the folder's ${device}` };
  const publicKey = Buffer.from(parsed.data.publicKey, 'base64url');
  try {
    publicKeyFromRaw(publicKey);
  } catch {
    return { kind: 'bad', reason: 'the public key is not a valid Ed25519 key' };
  }
  if (fingerprintOf(publicKey) !== parsed.data.fingerprint) return { kind: 'bad', reason: 'the fingerprint does not match the public key' };
  return { kind: 'ok', file: parsed.data, publicKey };
}

export function writeDeviceFile(folder: string, file: DeviceFile): void {
  mkdirSync(logDir(folder, file.deviceId), { recursive: true });
  publishFile(join(deviceDir(folder, file.deviceId), DEVICE_FILE), `${JSON.stringify(file, null, 2)}\n`);
}

export type UnsignedHead = Omit<HeadFile, 'sig'>;

export function headDigest(head: UnsignedHead): Buffer {
  return sha256(canonicalJson(head));
}

export function writeHeadFile(folder: string, head: UnsignedHead, sign: (digest: Buffer) => Buffer): void {
  const full: HeadFile = { ...head, sig: sign(headDigest(head)).toString('base64url') };
  publishFile(join(deviceDir(folder, head.deviceId), HEAD_FILE), `${JSON.stringify(full)}\n`, { overwrite: true });
}

export type HeadRead = { kind: 'ok'; head: HeadFile } | { kind: 'missing' } | { kind: 'bad'; reason: string };

/** A head.json with a valid signature by `publicKey`, or why not. */
export function readHeadFile(folder: string, device: string, publicKey: Buffer | null): HeadRead {
  const path = join(deviceDir(folder, device), HEAD_FILE);
  if (!existsSync(path)) return { kind: 'missing' };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { kind: 'bad', reason: 'head.json is not valid JSON (still being copied?)' };
  }
  const parsed = headSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'bad', reason: `head.json: ${parsed.error.issues[0]?.message}` };
  if (parsed.data.deviceId !== device) return { kind: 'bad', reason: `head.json names device ${parsed.data.deviceId}` };
  if (publicKey) {
    const { sig, ...unsigned } = parsed.data;
    if (!verifyHash(publicKeyFromRaw(publicKey), headDigest(unsigned), Buffer.from(sig, 'base64url'))) {
      return { kind: 'bad', reason: 'head.json carries a signature that is not valid for the device key' };
    }
  }
  return { kind: 'ok', head: parsed.data };
}
