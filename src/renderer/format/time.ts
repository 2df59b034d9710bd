// Times as people in the room read them: the viewer's own zone first, a release's zone beside it
// when they differ, and durations in the compact form a runbook timer uses.

/** The viewer's IANA zone (the machine's). */
export const VIEWER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

// Building a DateTimeFormat costs far more than using one; a long timeline formats thousands.
const formats = new Map<string, Intl.DateTimeFormat>();

function format(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let found = formats.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(undefined, options);
    formats.set(key, found);
  }
  return found;
}

/** Whether the runtime knows this IANA zone name. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function safeZone(zone: string | undefined): string | undefined {
  return zone && isKnownZone(zone) ? zone : undefined;
}

/** "Nov 24, 2026, 9:00 – 10:30 PM UTC": a span, with what both ends share written once. */
export function formatRange(startIso: string, endIso: string, zone?: string): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return `${startIso} – ${endIso}`;
  const tz = safeZone(zone);
  const f = format(`r|${tz ?? ''}`, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    ...(tz ? { timeZone: tz } : {}),
  });
  return typeof f.formatRange === 'function' ? f.formatRange(start, end) : `${f.format(start)} – ${f.format(end)}`;
}

/** "3 Mar 2026, 14:02:11 CET" in the given zone (the viewer's by default). */
export function formatDateTime(iso: string, zone?: string, withSeconds = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const tz = safeZone(zone);
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    timeZoneName: 'short',
    ...(tz ? { timeZone: tz } : {}),
  };
  return format(`dt|${tz ?? ''}|${withSeconds}`, options).format(date);
}

/** "14:02:11 CET" — a time of day with its zone, for rows where the date is obvious. */
export function formatTimeOfDay(iso: string, zone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const tz = safeZone(zone);
  return format(`t|${tz ?? ''}`, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
    ...(tz ? { timeZone: tz } : {}),
  }).format(date);
}

/** "3 Mar 2026" in the given zone. */
export function formatDay(iso: string, zone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const tz = safeZone(zone);
  return format(`d|${tz ?? ''}`, { year: 'numeric', month: 'short', day: 'numeric', ...(tz ? { timeZone: tz } : {}) }).format(
    date,
  );
}

/** "Mar 3": the day without the year, beside a time. */
export function formatShortDay(iso: string, zone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const tz = safeZone(zone);
  return format(`sd|${tz ?? ''}`, { month: 'short', day: 'numeric', ...(tz ? { timeZone: tz } : {}) }).format(date);
}

/**
 * Whether a second zone adds anything: two zones with the same offset at that instant read the
 * same, so the second one is noise.
 */
export function zonesDiffer(iso: string, zone: string | undefined): boolean {
  const tz = safeZone(zone);
  if (!tz || tz === VIEWER_ZONE) return false;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return false;
  const offset = (z: string) => format(`o|${z}`, { timeZone: z, timeZoneName: 'longOffset' }).format(date).split(' ').pop();
  return offset(tz) !== offset(VIEWER_ZONE);
}

/** "12 s ago", "5 min ago", "3 h ago", else the date. */
export function formatRelative(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (!Number.isFinite(then)) return iso;
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return formatDateTime(iso);
}

/** "45s", "3m 05s", "1h 02m": a timer's reading, never negative. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Seconds as a planner writes them: "10 min", "1 h 30 min", "45s" (as a timer reads seconds). */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
