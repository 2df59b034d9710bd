// A release's timeline with its filters (kind of event, person). Used by the Timeline section
// and on each release page.
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { EVENT_CATALOG } from '../../../shared/events/catalog.ts';
import { useApp } from '../../state/context.tsx';
import { TimelineList } from './TimelineList.tsx';
import type { FeedQuery } from './timeline-feed.ts';

/** Types that belong on a release timeline (not a person's profile changes). */
const RELEASE_TYPES = Object.keys(EVENT_CATALOG)
  .filter((type) => type !== 'profile.changed')
  .sort();

export interface ReleaseTimelineProps {
  release: string;
  zone?: string | undefined;
  label: string;
  compact?: boolean;
  /** A control placed first in the filter row (the Timeline section's release picker). */
  leading?: ReactNode;
}

export function ReleaseTimeline({ release, zone, label, compact, leading }: ReleaseTimelineProps) {
  const people = useApp((s) => s.releases.people);
  const loadPeople = useApp((s) => s.loadPeople);
  useEffect(() => {
    void loadPeople();
  }, [loadPeople]);
  const [type, setType] = useState('');
  const [actor, setActor] = useState('');
  const ids = { type: useId(), actor: useId() };

  const query = useMemo<FeedQuery>(() => ({ release, ...(type ? { type } : {}), ...(actor ? { actor } : {}) }), [release, type, actor]);
  const zoneOfRelease = useMemo(() => (zone ? (id: string) => (id === release ? zone : undefined) : undefined), [zone, release]);
  const filtered = Boolean(type || actor);

  return (
    <div className="release-timeline">
      <div className="timeline-filters" role="group" aria-label="Filter the timeline">
        {leading}
        <div className="field">
          <label htmlFor={ids.type}>Kind of event</label>
          <select id={ids.type} className="select" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">Every kind</option>
            {RELEASE_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.actor}>Person</label>
          <select id={ids.actor} className="select" value={actor} onChange={(e) => setActor(e.target.value)}>
            <option value="">Everyone</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        {filtered && (
          <button
            type="button"
            className="button button--quiet"
            onClick={() => {
              setType('');
              setActor('');
            }}
          >
            Clear filters
          </button>
        )}
      </div>
      <TimelineList
        query={query}
        label={label}
        zoneOfRelease={zoneOfRelease}
        emptyText={filtered ? 'No entries match these filters.' : 'Nothing recorded on this release yet.'}
        className={compact ? 'timeline--compact' : undefined}
      />
    </div>
  );
}
