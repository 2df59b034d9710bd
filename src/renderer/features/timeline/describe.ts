// The readable sentence and the release of a timeline entry, from the shared wording (the CLI
// prints the same sentences).
import type { TimelineItem } from '../../../shared/api/store.ts';
import { describeEvent } from '../../../shared/domain/describe.ts';
import { releaseOf } from '../../../shared/events/envelope.ts';

export function releaseOfItem(item: TimelineItem): string | null {
  return releaseOf(item);
}

export function describeTimelineItem(item: TimelineItem): string {
  const sentence = describeEvent({ type: item.type, actor: item.actor, data: item.data });
  return item.newerVersion !== null ? `${sentence} (written by a newer version of the app)` : sentence;
}
