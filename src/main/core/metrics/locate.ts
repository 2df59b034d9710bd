// Where the samples of a panel query or a rule are stored. Prometheus answers are per panel
// query or rule (each asks at its own step); file feed and manual readings are per metric name
// of the release, shared by every panel and rule that names it.
import type { SourceKind } from '../../../shared/metrics/model.ts';
import type { SampleStore, StoredSeries } from './samples.ts';

export const FEED_KEY = 'feed';
export const READING_KEY = 'reading';
/** Manual readings carry this source (they are not tied to a configured source's name). */
export const MANUAL_SOURCE = 'manual';

export interface Location {
  key: string;
  source: string;
}

/** `owner` is `panel:<id>:<i>` or `rule:<id>`; `source` the configured source's name. */
export function locate(kind: SourceKind | null, owner: string, source: string): Location {
  if (kind === 'file') return { key: FEED_KEY, source };
  if (kind === 'manual') return { key: READING_KEY, source: MANUAL_SOURCE };
  return { key: owner, source };
}

export function storedSeries(samples: SampleStore, release: string, at: Location, query: string): StoredSeries[] {
  return samples.series(release, at.key, at.source, query);
}
