// One timeline row: when (the viewer's zone, the release's beside it when it differs), the
// readable sentence, and who did it from which device.
import { memo } from 'react';
import type { TimelineItem } from '../../../shared/api/store.ts';
import { ROLE_LABELS, type Role } from '../../../shared/domain/people.ts';
import { InlineCode } from '../../components/InlineCode.tsx';
import { formatDay, formatShortDay, formatTimeOfDay, zonesDiffer } from '../../format/time.ts';
import { describeTimelineItem, releaseOfItem } from './describe.ts';

function roleLabel(role: string): string {
  return (ROLE_LABELS as Record<string, string>)[role as Role] ?? role;
}

export const TimelineEntry = memo(function TimelineEntry({
  item,
  zoneOfRelease,
}: {
  item: TimelineItem;
  zoneOfRelease?: ((releaseId: string) => string | undefined) | undefined;
}) {
  const release = releaseOfItem(item);
  const releaseZone = release ? zoneOfRelease?.(release) : undefined;
  const showReleaseZone = releaseZone !== undefined && zonesDiffer(item.at, releaseZone);
  const sentence = describeTimelineItem(item);
  return (
    <article className="timeline-entry" aria-label={sentence}>
      <div className="timeline-entry__when">
        <span>
          <time dateTime={item.at} className="timeline-entry__time">
            {formatTimeOfDay(item.at)}
          </time>
          {showReleaseZone && <span className="timeline-entry__day"> {formatShortDay(item.at)}</span>}
        </span>
        {showReleaseZone ? (
          <span className="timeline-entry__zone" title={`In the release's time zone, ${releaseZone}`}>
            {formatTimeOfDay(item.at, releaseZone)} <span className="timeline-entry__day">release</span>
          </span>
        ) : (
          <span className="timeline-entry__day">{formatDay(item.at)}</span>
        )}
      </div>
      <div className="timeline-entry__what">
        <p className="timeline-entry__sentence" title={sentence}>
          <InlineCode text={sentence} />
        </p>
        <p className="timeline-entry__meta">
          <span className="timeline-entry__actor">{item.actor.name}</span>
          <span className="timeline-entry__faint"> · {roleLabel(item.actor.role)}</span>
          <span className="timeline-entry__faint"> · device </span>
          <span className="mono" title={item.device}>
            {item.device.slice(0, 8)}
          </span>
          <span className="timeline-entry__faint"> · </span>
          <span className="mono timeline-entry__type">{item.type}</span>
          {item.skewMs !== null && (
            <span className="badge badge--warn" title="The device clock differed from the logical clock by more than 10 minutes.">
              clock skew
            </span>
          )}
          {item.futureDated && (
            <span className="badge badge--warn" title={`Stamped more than 10 minutes ahead of this device's clock: device ${item.device}'s clock is probably ahead.`}>
              clock ahead
            </span>
          )}
          {item.newerVersion !== null && (
            <span className="badge badge--neutral" title={item.newerVersion}>
              newer version
            </span>
          )}
        </p>
      </div>
    </article>
  );
});
