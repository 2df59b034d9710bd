// Hybrid logical clock (SYNC-PROTOCOL §1.3). Pure: the caller passes the wall clock in, so
// tests can skew it, run it backwards or freeze it. Nothing here ever throws on a bad clock —
// a war room must keep recording when a laptop's time is wrong.

/** A remote time may drag the local clock forward by at most this much. */
export const MAX_PULL_MS = 10 * 60 * 1000;
export const MAX_COUNTER = 0xffffffff;
/** 13 decimal digits of milliseconds: good until the year 2286. */
const MAX_WALL = 9_999_999_999_999;

export interface ClockState {
  /** Logical wall time in ms: never behind any time this clock has issued or accepted. */
  readonly wall: number;
  readonly counter: number;
}

export interface Hlc extends ClockState {
  readonly device: string;
}

export const ZERO_CLOCK: ClockState = { wall: 0, counter: 0 };

const HLC_PATTERN = /^(\d{13})-([0-9a-f]{8})-([A-Za-z0-9_]{1,64})$/;

/** Fixed width, so comparing strings compares (wall, counter, device). */
export function formatHlc(stamp: Hlc): string {
  return `${String(stamp.wall).padStart(13, '0')}-${stamp.counter.toString(16).padStart(8, '0')}-${stamp.device}`;
}

export function parseHlc(text: string): Hlc | null {
  const match = HLC_PATTERN.exec(text);
  if (!match) return null;
  return { wall: Number(match[1]), counter: parseInt(match[2]!, 16), device: match[3]! };
}

export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A usable reading of the wall clock; a broken clock (NaN, negative) reads as "no news". */
function readable(now: number): number {
  return Number.isFinite(now) && now >= 0 ? Math.min(Math.floor(now), MAX_WALL) : 0;
}

function bump(wall: number, counter: number): ClockState {
  // Counter overflow borrows the next millisecond instead of failing (Actual Budget throws here).
  if (counter > MAX_COUNTER) return { wall: Math.min(wall + 1, MAX_WALL), counter: 0 };
  return { wall, counter };
}

/** Timestamp a local event. */
export function sendClock(state: ClockState, now: number): ClockState {
  const wall = Math.max(state.wall, readable(now));
  return bump(wall, wall === state.wall ? state.counter + 1 : 0);
}

export interface ReceiveResult {
  readonly state: ClockState;
  /** The remote time was more than MAX_PULL ahead of our wall clock: flag it, still ingest it. */
  readonly futureDated: boolean;
  /** How far the remote time was ahead of our wall clock (0 when behind). */
  readonly aheadMs: number;
}

/** Merge a remote timestamp, capping how far it can pull our clock forward. */
export function receiveClock(state: ClockState, remote: ClockState, now: number): ReceiveResult {
  const wallNow = readable(now);
  const remoteWall = readable(remote.wall);
  const capped = Math.min(remoteWall, wallNow + MAX_PULL_MS);
  const wall = Math.max(state.wall, wallNow, capped);
  let counter: number;
  if (wall === state.wall && wall === remoteWall) counter = Math.max(state.counter, remote.counter) + 1;
  else if (wall === state.wall) counter = state.counter + 1;
  else if (wall === remoteWall) counter = remote.counter + 1;
  else counter = 0;
  return {
    state: bump(wall, counter),
    futureDated: remoteWall > wallNow + MAX_PULL_MS,
    aheadMs: Math.max(0, remoteWall - wallNow),
  };
}

export function stamp(state: ClockState, device: string): string {
  return formatHlc({ ...state, device });
}
