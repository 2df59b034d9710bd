// A long timeline as a virtualized list: only the rows in view exist in the DOM, older pages
// load as the end comes near, and live entries arrive on top without moving what the reader is
// looking at. Rows have one fixed height, so positions are exact and anchoring is arithmetic.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { TimelineItem } from '../../../shared/api/store.ts';
import type { FeedQuery } from './timeline-feed.ts';
import { TimelineEntry } from './TimelineEntry.tsx';
import './timeline.css';
import { useTimelineFeed } from './useTimelineFeed.ts';

/** Row height in rem; the wall display scales rem, so rows grow with the text. */
const ROW_REM = 5.5;
/** Start fetching the next older page this many rows before the end. */
const PREFETCH_ROWS = 40;

function remInPx(): number {
  const size = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(size) && size > 0 ? size : 16;
}

export interface TimelineListProps {
  query: FeedQuery;
  /** Accessible name of the list, e.g. "Timeline of Checkout 4.2". */
  label: string;
  /** The IANA zone of the release an entry belongs to, shown beside the viewer's time. */
  zoneOfRelease?: (releaseId: string) => string | undefined;
  /** What to say when the timeline is empty. */
  emptyText: string;
  className?: string;
}

export function TimelineList({ query, label, zoneOfRelease, emptyText, className }: TimelineListProps) {
  const { feed, snapshot } = useTimelineFeed(query);
  const { items, complete, started, loadingOlder, problem, total } = snapshot;
  const scroller = useRef<HTMLDivElement>(null);
  const [rowHeight] = useState(() => Math.round(remInPx() * ROW_REM));
  // The entry at the top of the view and how far into it we are, kept as the reader scrolls.
  const anchor = useRef<{ id: string; offset: number } | null>(null);

  // The React Compiler would skip this component for the virtualizer's unmemoizable functions;
  // this app does not use the compiler, and nothing here memoizes what the virtualizer returns.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => items[index]?.id ?? index,
    overscan: 8,
  });
  const rows = virtualizer.getVirtualItems();
  const lastRow = rows[rows.length - 1];

  // Near the end of what is loaded: ask for the next older page.
  useEffect(() => {
    if (!started || complete || loadingOlder || problem) return;
    if (items.length === 0 || (lastRow && lastRow.index >= items.length - PREFETCH_ROWS)) void feed.loadOlder();
  }, [feed, started, complete, loadingOlder, problem, items.length, lastRow]);

  const rememberAnchor = () => {
    const el = scroller.current;
    if (!el) return;
    const index = Math.floor(el.scrollTop / rowHeight);
    const item = items[index];
    anchor.current = item && el.scrollTop > rowHeight / 2 ? { id: item.id, offset: el.scrollTop - index * rowHeight } : null;
  };

  // Entries merged in above the view push it down by whole rows; scroll by the same amount so
  // the reader stays on the entry they were reading. At the very top, stay at the top: that is
  // where someone watching live (the wall display) expects the newest entry.
  useLayoutEffect(() => {
    const el = scroller.current;
    const at = anchor.current;
    if (!el || !at) return;
    const index = items.findIndex((i) => i.id === at.id);
    if (index < 0) return;
    const target = index * rowHeight + at.offset;
    if (Math.abs(el.scrollTop - target) >= 1) el.scrollTop = target;
  }, [items, rowHeight]);

  if (!started && problem) {
    return (
      <div className="timeline-state notice notice--danger" role="alert">
        The timeline could not be loaded: {problem.message}{' '}
        <button type="button" className="button button--small" onClick={() => feed.retry()}>
          Try again
        </button>
      </div>
    );
  }

  if (!started) {
    return (
      <div className="timeline-state" role="status">
        <span className="spinner spinner--small" aria-hidden="true" /> Loading the timeline…
      </div>
    );
  }

  if (items.length === 0) {
    return (
      <p className="timeline-state timeline-state--empty" data-testid="timeline-empty">
        {emptyText}
      </p>
    );
  }

  const setSize = complete ? items.length : (total ?? -1);
  return (
    <div className={`timeline ${className ?? ''}`}>
      <p className="timeline__count" aria-live="polite" data-testid="timeline-count">
        {countText(items, total, complete)}
      </p>
      <div
        ref={scroller}
        className="timeline__scroller"
        // Focusable so the arrow keys, Page Up/Down, Home and End scroll it from the keyboard.
        tabIndex={0}
        role="region"
        aria-label={label}
        onScroll={rememberAnchor}
      >
        <div role="list" aria-busy={loadingOlder} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {rows.map((row) => {
            const item = items[row.index]!;
            return (
              <div
                key={row.key}
                role="listitem"
                aria-setsize={setSize}
                aria-posinset={row.index + 1}
                className="timeline__row"
                data-testid="timeline-entry"
                data-event-type={item.type}
                style={{ height: rowHeight, transform: `translateY(${row.start}px)` }}
              >
                <TimelineEntry item={item} zoneOfRelease={zoneOfRelease} />
              </div>
            );
          })}
        </div>
        {(loadingOlder || problem) && (
          <div className="timeline__more" role="status">
            {problem ? (
              <>
                Older entries could not be loaded: {problem.message}{' '}
                <button type="button" className="button button--small" onClick={() => feed.retry()}>
                  Try again
                </button>
              </>
            ) : (
              'Loading older entries…'
            )}
          </div>
        )}
      </div>
    </div>
  );
}

function countText(items: readonly TimelineItem[], total: number | null, complete: boolean): string {
  const n = items.length.toLocaleString();
  if (complete) return `${n} ${items.length === 1 ? 'entry' : 'entries'}`;
  if (total !== null) return `${n} of ${total.toLocaleString()} entries loaded — older ones load as you scroll`;
  return `${n} entries loaded — older ones load as you scroll`;
}
