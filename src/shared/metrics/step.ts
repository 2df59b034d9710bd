// Planning Prometheus range queries: which step to ask for (a "nice" one, so panels line up and
// caches hit), where to align the range, and how to split a long range into requests of at most
// 11 000 points each (Prometheus refuses more per series).

/** Prometheus' limit on points per series in one query_range answer. */
export const MAX_POINTS_PER_SERIES = 11_000;

/** Points a panel asks for when nothing else is said (about one per pixel column). */
export const DEFAULT_POINTS = 1000;

const MIN = 60;
const HOUR = 3600;
const DAY = 86_400;
/** Steps in seconds, ascending; above a day, whole days. */
export const NICE_STEPS: readonly number[] = [1, 2, 5, 10, 15, 30, MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY];

/** The smallest nice step ≥ `seconds`. */
export function niceStep(seconds: number): number {
  if (!(seconds > 1)) return 1;
  for (const step of NICE_STEPS) if (step >= seconds) return step;
  return Math.ceil(seconds / DAY) * DAY;
}

/**
 * The step (seconds) for `points` points over `rangeMs`: range / points rounded up to a nice step,
 * never below `minStepSeconds` (the scrape interval; default 1) and never so small that the range
 * would exceed 11 000 points (72 h needs ≥ 24 s, so 30 s).
 */
export function chooseStep(rangeMs: number, points: number, minStepSeconds = 1): number {
  const rangeSeconds = Math.max(rangeMs, 0) / 1000;
  const wanted = points > 0 ? rangeSeconds / points : rangeSeconds;
  // (n − 1) intervals for n points, both ends included.
  const floor = rangeSeconds / (MAX_POINTS_PER_SERIES - 1);
  return niceStep(Math.max(wanted, floor, minStepSeconds, 1));
}

export interface QueryRangePlan {
  stepSeconds: number;
  /** Epoch seconds, floored to the step. */
  start: number;
  /** Epoch seconds, ceiled to the step. */
  end: number;
  /** Consecutive requests (epoch seconds, both ends included), each with ≤ maxPoints points. */
  chunks: { start: number; end: number }[];
}

/**
 * A query_range plan for [startMs, endMs]: an explicit `stepSeconds` (e.g. a rule window at the
 * scrape step) is kept (but not below `minStepSeconds`); otherwise the step is chosen for `points`
 * (default 1000). The range is aligned to the step and split into chunks of ≤ maxPoints points.
 */
export function planQueryRange(
  startMs: number,
  endMs: number,
  opts: { points?: number; stepSeconds?: number; minStepSeconds?: number; maxPoints?: number },
): QueryRangePlan {
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs < startMs) {
    throw new Error(`Invalid query range ${startMs}…${endMs}: the end must be a time at or after the start.`);
  }
  const minStep = Math.max(opts.minStepSeconds ?? 1, 0);
  const maxPoints = Math.max(Math.floor(opts.maxPoints ?? MAX_POINTS_PER_SERIES), 2);
  const stepSeconds =
    opts.stepSeconds !== undefined && opts.stepSeconds > 0 ? Math.max(opts.stepSeconds, minStep) : chooseStep(endMs - startMs, opts.points ?? DEFAULT_POINTS, Math.max(minStep, 1));
  const start = Math.floor(startMs / 1000 / stepSeconds) * stepSeconds;
  const end = Math.ceil(endMs / 1000 / stepSeconds) * stepSeconds;
  const chunks: { start: number; end: number }[] = [];
  const span = (maxPoints - 1) * stepSeconds;
  for (let from = start; ; from += span + stepSeconds) {
    chunks.push({ start: from, end: Math.min(from + span, end) });
    if (from + span >= end) break;
  }
  return { stepSeconds, start, end, chunks };
}
