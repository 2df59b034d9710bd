// The sample batch file format: one JSON line per series ({release, key, source, query, labels,
// t0, dt: [delta ms…], v: [numbers or "NaN"/"Infinity"/"-Infinity"]}) and a last line {sig}: the
// writer's Ed25519 signature (base64) over the SHA-256 of every byte before it.
import { z } from 'zod';
import { publicKeyFromRaw, sha256, verifyHash } from '../store/identity.ts';
import type { SeriesIdentity } from './samples.ts';

const valueText = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);
const seriesLine = z.strictObject({
  release: z.string().min(1).max(200),
  key: z.string().min(1).max(200),
  source: z.string().min(1).max(100),
  query: z.string().min(1).max(4000),
  labels: z.string().max(20_000),
  t0: z.number().int(),
  dt: z.array(z.number().int().min(0)),
  v: z.array(valueText),
});
const sigLine = z.strictObject({ sig: z.string().min(1) });

const encodeValue = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
const decodeValue = (v: number | string): number => (typeof v === 'number' ? v : Number(v));

/** The batch file's bytes: one line per series, then the signature line. */
export function encodeBatch(series: readonly { series: SeriesIdentity; t: readonly number[]; v: readonly number[] }[], sign: (digest: Buffer) => Buffer): Buffer {
  const lines = series.map(({ series: s, t, v }) => {
    const dt = t.map((x, i) => (i === 0 ? 0 : x - t[i - 1]!));
    return JSON.stringify({ ...s, t0: t[0] ?? 0, dt: dt.slice(1), v: v.map(encodeValue) });
  });
  const body = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
  const sig = sign(sha256(body)).toString('base64');
  return Buffer.concat([body, Buffer.from(`${JSON.stringify({ sig })}\n`, 'utf8')]);
}

type Decoded = { ok: true; series: { series: SeriesIdentity; t: number[]; v: number[] }[] } | { ok: false; line: number | null; reason: string };

/** Parses and verifies a batch file's bytes against the writer's public key. */
export function decodeBatch(bytes: Buffer, publicKey: Buffer): Decoded {
  const text = bytes.toString('utf8');
  if (!text.endsWith('\n')) return { ok: false, line: null, reason: 'the file does not end with a complete line' };
  const lines = text.slice(0, -1).split('\n');
  const last = lines.length;
  let sig: z.output<typeof sigLine>;
  try {
    sig = sigLine.parse(JSON.parse(lines[last - 1]!));
  } catch {
    return { ok: false, line: last, reason: 'the last line is not the signature line' };
  }
  const body = Buffer.from(lines.slice(0, -1).map((l) => `${l}\n`).join(''), 'utf8');
  if (!verifyHash(publicKeyFromRaw(publicKey), sha256(body), Buffer.from(sig.sig, 'base64'))) {
    return { ok: false, line: last, reason: 'the signature is not valid for the device’s key (edited or not written by that device)' };
  }
  const series: { series: SeriesIdentity; t: number[]; v: number[] }[] = [];
  for (let i = 0; i < last - 1; i++) {
    let parsed: z.output<typeof seriesLine>;
    try {
      parsed = seriesLine.parse(JSON.parse(lines[i]!));
    } catch (error) {
      return { ok: false, line: i + 1, reason: `not a sample line (${error instanceof z.ZodError ? (error.issues[0]?.message ?? 'invalid') : 'invalid JSON'})` };
    }
    if (parsed.v.length !== parsed.dt.length + 1) return { ok: false, line: i + 1, reason: `${parsed.v.length} values for ${parsed.dt.length + 1} times` };
    const t: number[] = [parsed.t0];
    for (const d of parsed.dt) t.push(t[t.length - 1]! + d);
    const { t0: _t0, dt: _dt, v, ...identity } = parsed;
    series.push({ series: identity, t, v: v.map(decodeValue) });
  }
  return { ok: true, series };
}
