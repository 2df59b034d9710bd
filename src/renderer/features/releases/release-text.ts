// How release facts read on screen: labels for the enumerations, the status tone, and the
// planned window in the viewer's zone with the release's own zone beside it.
import type { ReleaseStatus, ReleaseWindow } from '../../../shared/domain/releases.ts';
import { formatRange, VIEWER_ZONE, zonesDiffer } from '../../format/time.ts';
import type { Tone } from '../sync/index.ts';

export const TYPE_LABELS: Record<string, string> = { major: 'Major', minor: 'Minor', patch: 'Patch', emergency: 'Emergency' };
export const CLASS_LABELS: Record<string, string> = { standard: 'Standard change', normal: 'Normal change', emergency: 'Emergency change' };
export const STRATEGY_LABELS: Record<string, string> = {
  'big-bang': 'Big bang',
  phased: 'Phased',
  'blue-green': 'Blue-green',
  canary: 'Canary',
  rolling: 'Rolling',
};

export const STATUS_TONES: Record<ReleaseStatus, Tone | 'accent'> = {
  planned: 'neutral',
  scheduled: 'accent',
  go_no_go: 'warn',
  deploying: 'warn',
  stabilizing: 'accent',
  closed: 'ok',
  rolled_back: 'danger',
  cancelled: 'neutral',
};

/** "Planned", "Go/no-go", "Rolled back": the core's lower-case labels, capitalised. */
export function statusText(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export interface WindowText {
  /** In the viewer's zone. */
  here: string;
  /** In the release's zone, when that reads differently; else null. */
  there: string | null;
  zone: string;
}

export function windowText(window: ReleaseWindow): WindowText {
  const here = formatRange(window.start, window.end);
  const differs = zonesDiffer(window.start, window.zone);
  return {
    here,
    there: differs ? formatRange(window.start, window.end, window.zone) : null,
    zone: window.zone,
  };
}

export { VIEWER_ZONE };
