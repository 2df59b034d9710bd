// One live feed per distinct query. A new filter is a new feed, so no stale page ever mixes in;
// the feed starts when the list subscribes and stops when it unmounts.
import { useMemo, useSyncExternalStore } from 'react';
import { useClient } from '../../state/context.tsx';
import { TimelineFeed, type FeedQuery, type FeedSnapshot } from './timeline-feed.ts';

export function useTimelineFeed(query: FeedQuery): { feed: TimelineFeed; snapshot: FeedSnapshot } {
  const client = useClient();
  // The key, not the object: callers build the query inline on every render.
  const key = JSON.stringify(query);
  const feed = useMemo(() => new TimelineFeed(client, JSON.parse(key) as FeedQuery), [client, key]);
  const snapshot = useSyncExternalStore(feed.subscribe, feed.getSnapshot);
  return { feed, snapshot };
}
