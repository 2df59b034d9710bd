// A live, paged view of one timeline query: older pages load on demand through the keyset
// cursor, and new events (a change notice) are merged in from the newest page. It lives outside
// the bound store on purpose: a long timeline changes often and holds many entries, and only the
// list that shows it needs to re-render (zustand's "transient updates").
import type { ApiClient } from '../../api/client.ts';
import type { TimelineItem, TimelineQuery } from '../../../shared/api/store.ts';
import { compareEvents } from '../../../shared/events/envelope.ts';
import { toProblem, type Problem } from '../../state/session.ts';

export type FeedQuery = Omit<TimelineQuery, 'cursor' | 'limit'>;

export interface FeedSnapshot {
  /** Newest first, in the timeline's own order (hlc, then seq, descending). */
  items: readonly TimelineItem[];
  /** Events in the release when the query is an unfiltered release timeline, else null. */
  total: number | null;
  /** The first page has answered (so an empty list really is empty). */
  started: boolean;
  loadingOlder: boolean;
  /** Every older page is loaded. */
  complete: boolean;
  problem: Problem | null;
}

/** Newer-first, in the order the core pages by (hlc, then seq). */
export function newerFirst(a: TimelineItem, b: TimelineItem): number {
  return compareEvents(b, a);
}

/**
 * Merges a fresh newest page into what is loaded. Entries newer than the loaded top go on top;
 * late entries (an older clock, synced in after the fact) go to their place in the order, but
 * only within the loaded range: anything older arrives with a later page anyway.
 * Returns the same array when nothing is new, so a quiet refresh re-renders nothing.
 */
export function mergeNewest(loaded: readonly TimelineItem[], fresh: readonly TimelineItem[], complete: boolean): readonly TimelineItem[] {
  if (loaded.length === 0) return fresh;
  const known = new Set(loaded.map((i) => i.id));
  const oldest = loaded[loaded.length - 1]!;
  const incoming = fresh.filter((i) => !known.has(i.id) && (complete || newerFirst(i, oldest) < 0));
  if (incoming.length === 0) return loaded;
  return [...incoming, ...loaded].sort(newerFirst);
}

const PAGE_SIZE = 200;
/** A burst of events (a pipeline appending, a sync catching up) costs one refresh, not one each. */
const REFRESH_DELAY_MS = 250;
/** How far back a refresh looks for where the loaded list starts before it starts over. */
const MAX_REFRESH_PAGES = 5;

export class TimelineFeed {
  readonly #client: ApiClient;
  readonly #query: FeedQuery;
  readonly #listeners = new Set<() => void>();
  #snapshot: FeedSnapshot = { items: [], total: null, started: false, loadingOlder: false, complete: false, problem: null };
  #cursor: string | null = null;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  #refreshing = false;
  #refreshAgain = false;
  #stopListening: (() => void) | null = null;

  /** Cheap and without side effects: nothing is fetched until someone subscribes. */
  constructor(client: ApiClient, query: FeedQuery) {
    this.#client = client;
    this.#query = query;
  }

  /**
   * The first subscriber starts the feed (first page, change notices); the last one leaving
   * stops it. Subscribing again resumes where it was and catches up on what it missed.
   */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.#start();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stop();
    };
  };

  getSnapshot = (): FeedSnapshot => this.#snapshot;

  #start(): void {
    this.#stopListening = this.#client.subscribe((notice) => {
      if (notice.topic === 'events') this.#scheduleRefresh();
    });
    if (this.#snapshot.started) this.#scheduleRefresh();
    else void this.loadOlder();
  }

  #stop(): void {
    this.#stopListening?.();
    this.#stopListening = null;
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    this.#refreshTimer = null;
  }

  get #active(): boolean {
    return this.#stopListening !== null;
  }

  #set(patch: Partial<FeedSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...patch };
    for (const l of this.#listeners) l();
  }

  #page(cursor: string | null) {
    return this.#client.call('timeline.page', { ...this.#query, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
  }

  /** Loads the next older page (the first page on the first call). */
  async loadOlder(): Promise<void> {
    const s = this.#snapshot;
    if (s.loadingOlder || s.complete || !this.#active) return;
    if (s.started && this.#cursor === null) return;
    this.#set({ loadingOlder: true, problem: null });
    try {
      const page = await this.#page(this.#cursor);
      const known = new Set(this.#snapshot.items.map((i) => i.id));
      // A refresh may already have merged some of these in; keep one of each.
      const older = page.items.filter((i) => !known.has(i.id));
      this.#cursor = page.nextCursor;
      this.#set({
        items: older.length > 0 ? [...this.#snapshot.items, ...older] : this.#snapshot.items,
        total: page.total ?? this.#snapshot.total,
        started: true,
        loadingOlder: false,
        complete: page.nextCursor === null,
      });
    } catch (error) {
      this.#set({ loadingOlder: false, problem: toProblem(error) });
    }
  }

  /** Retry after a failure: the first page if nothing loaded, else the next older page. */
  retry(): void {
    if (!this.#snapshot.started) void this.loadOlder();
    else {
      void this.loadOlder();
      this.#scheduleRefresh();
    }
  }

  #scheduleRefresh(): void {
    if (this.#refreshTimer || !this.#active) return;
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      void this.#refresh();
    }, REFRESH_DELAY_MS);
  }

  async #refresh(): Promise<void> {
    if (!this.#snapshot.started) return;
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return;
    }
    this.#refreshing = true;
    try {
      const loaded = this.#snapshot.items;
      const top = loaded[0];
      let fresh: TimelineItem[] = [];
      let cursor: string | null = null;
      let total: number | null = this.#snapshot.total;
      // Walk newest pages until the loaded top shows up, so a burst larger than a page is
      // merged in whole instead of leaving a hole.
      for (let i = 0; i < MAX_REFRESH_PAGES; i += 1) {
        const page = await this.#page(cursor);
        if (i === 0) total = page.total;
        fresh = fresh.concat(page.items);
        cursor = page.nextCursor;
        if (!top || cursor === null || page.items.some((item) => newerFirst(item, top) >= 0)) break;
      }
      const reachedTop = !top || fresh.some((item) => newerFirst(item, top) >= 0) || cursor === null;
      if (reachedTop) {
        this.#set({ items: mergeNewest(loaded, fresh, this.#snapshot.complete), total });
      } else {
        // More arrived than a refresh should fetch: start over from the newest, as a reload would.
        this.#cursor = cursor;
        this.#set({ items: fresh, total, complete: false });
      }
    } catch (error) {
      this.#set({ problem: toProblem(error) });
    } finally {
      this.#refreshing = false;
      if (this.#refreshAgain) {
        this.#refreshAgain = false;
        this.#scheduleRefresh();
      }
    }
  }
}
