// Downsampling for the charts: Largest-Triangle-Three-Buckets (keeps the shape a person sees) and
// min/max per bucket (keeps every extreme). Columns in, indices out, so callers keep their own
// storage. `downsample` is what the charts call: gaps (null/NaN) split a series into runs, each run
// gets its share of the budget, and one null between runs keeps the gap visible.

/** Every index 0 … n−1. */
function allIndices(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Values for the triangle arithmetic: ±Infinity stands in as the series' largest/smallest finite value. */
function areaValues(v: ArrayLike<number>, n: number): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    if (Number.isFinite(x)) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  if (lo > hi) lo = hi = 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    out[i] = x === Infinity ? hi : x === -Infinity ? lo : x;
  }
  return out;
}

/**
 * One LTTB pass over values `y`. With `original` (the values before ±Infinity was replaced), a
 * point whose original value is infinite wins its bucket. Without it, the pass gives up (null) as
 * soon as an infinite value reaches the arithmetic, so the common all-finite case reads each value
 * only twice.
 */
function lttbPass(t: ArrayLike<number>, y: ArrayLike<number>, n: number, want: number, original: ArrayLike<number> | null): Uint32Array | null {
  const out = new Uint32Array(want);
  const every = (n - 2) / (want - 2);
  let a = 0;
  out[0] = 0;
  for (let i = 0; i < want - 2; i++) {
    // The third corner of the triangle: the next bucket's average value at its middle time (the
    // mean time for evenly spaced samples; it saves a second read of every time).
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgV = 0;
    for (let j = nextStart; j < nextEnd; j++) avgV += y[j]!;
    avgV /= nextEnd - nextStart;
    const avgT = (t[nextStart]! + t[nextEnd - 1]!) / 2;
    // Twice the triangle's area, |(a − avg) × (j − a)|, expanded so the loop does two products.
    const at = t[a]!;
    const av = y[a]!;
    if (!original && !(Number.isFinite(avgV) && Number.isFinite(av))) return null;
    const dt = at - avgT;
    const dv = avgV - av;
    const k = dt * av + at * dv;
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = original && !Number.isFinite(original[j]!) ? Infinity : Math.abs(dt * y[j]! + dv * t[j]! - k);
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out[i + 1] = best;
    a = best;
  }
  out[want - 1] = n - 1;
  return out;
}

/**
 * LTTB over columns `t`, `v`. Keeps the first and last point and returns exactly min(threshold, n)
 * ascending indices; a threshold below 3 or at least n returns every index. ±Infinity readings
 * count as the largest/smallest finite value in the arithmetic, and a bucket holding one keeps it
 * (a division by zero is a reading worth seeing). Values should not be NaN (see `downsample`).
 */
export function lttbIndices(t: ArrayLike<number>, v: ArrayLike<number>, threshold: number): Uint32Array {
  const n = Math.min(t.length, v.length);
  const want = Math.floor(threshold);
  if (!(want >= 3) || want >= n) return allIndices(n);
  return lttbPass(t, v, n, want, null) ?? lttbPass(t, areaValues(v, n), n, want, v)!;
}

/**
 * Min/max per bucket: `buckets` equal index ranges, each contributing the index of its smallest and
 * largest value (ascending, once if they coincide), so every extreme survives. NaN values are
 * never chosen; buckets ≥ n returns every index.
 */
export function minMaxIndices(t: ArrayLike<number>, v: ArrayLike<number>, buckets: number): Uint32Array {
  const n = Math.min(t.length, v.length);
  const count = Math.floor(buckets);
  if (!(count >= 1) || count >= n) return allIndices(n);
  const out = new Uint32Array(count * 2);
  let k = 0;
  for (let b = 0; b < count; b++) {
    const start = Math.floor((b * n) / count);
    const end = Math.floor(((b + 1) * n) / count);
    // Start from the bucket's first usable value; NaN fails every comparison after that.
    let first = start;
    while (first < end && Number.isNaN(v[first]!)) first++;
    if (first === end) continue;
    let lo = first;
    let hi = first;
    let low = v[first]!;
    let high = low;
    for (let j = first + 1; j < end; j++) {
      const x = v[j]!;
      if (x < low) {
        low = x;
        lo = j;
      } else if (x > high) {
        high = x;
        hi = j;
      }
    }
    if (lo === hi) out[k++] = lo;
    else if (lo < hi) {
      out[k++] = lo;
      out[k++] = hi;
    } else {
      out[k++] = hi;
      out[k++] = lo;
    }
  }
  return out.slice(0, k);
}

type Point = readonly [number, number | null];

/** The runs of usable (non-NaN) values between gaps, as index ranges. */
function runsOf(v: Float64Array): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isNaN(v[i]!)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      runs.push([start, i]);
      start = -1;
    }
  }
  if (start >= 0) runs.push([start, v.length]);
  return runs;
}

const float64 = (x: ArrayLike<number>) => (x instanceof Float64Array ? x : Float64Array.from(x));

/**
 * `downsample` for a series kept as columns (times, values with NaN for gaps) — the cheaper call
 * when samples are stored that way, with the same result.
 */
export function downsampleColumns(times: ArrayLike<number>, values: ArrayLike<number>, threshold: number): [number, number | null][] {
  const t = float64(times);
  const v = float64(values);
  const runs = runsOf(v);
  const total = runs.reduce((sum, [a, b]) => sum + (b - a), 0);
  const budget = Math.max(Math.floor(threshold), 0);
  const roomy = runs.length * 2 <= budget;
  const out: [number, number | null][] = [];
  for (const [from, to] of runs) {
    const length = to - from;
    const fair = Math.round((budget * length) / total);
    const share = total <= budget ? length : roomy ? Math.max(Math.min(2, length), fair) : fair;
    if (share === 0) continue;
    if (out.length > 0) out.push([t[from - 1]!, null]);
    const kept =
      share >= length ? allIndices(length) : share <= 2 ? Uint32Array.from(share === 1 ? [0] : [0, length - 1]) : lttbIndices(t.subarray(from, to), v.subarray(from, to), share);
    for (const i of kept) out.push([t[from + i]!, v[from + i]!]);
  }
  return out;
}

/**
 * What the charts use: at most about `threshold` points (plus one null per gap). Gaps — a null or
 * NaN value — split the series into runs; each run is downsampled with LTTB in proportion to its
 * length (keeping its first and last point while the budget allows two per run; a very fragmented
 * series drops its smallest runs), and one null stays between runs so the line breaks. ±Infinity
 * readings are kept as they are.
 */
export function downsample(points: readonly Point[], threshold: number): [number, number | null][] {
  const t = new Float64Array(points.length);
  const v = new Float64Array(points.length);
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    t[i] = p[0];
    v[i] = p[1] ?? NaN;
  }
  return downsampleColumns(t, v, threshold);
}
