// API group: the event log itself — the audit check, the timeline, and rebuilding projections.
import { z } from 'zod';
import { method } from './define.ts';
import { EVENT_TYPE, type Actor, type EntityKey, type EventData } from '../events/envelope.ts';

const noInput = z.strictObject({});

export const timelineQuery = z
  .strictObject({
    release: z.string().min(1).max(200).optional(),
    entity: z.strictObject({ kind: z.string().min(1).max(40), id: z.string().min(1).max(200) }).optional(),
    type: z.string().regex(EVENT_TYPE, 'Expected an event type such as step.ticked.').optional(),
    actor: z.string().min(1).max(100).optional(),
    cursor: z.string().min(1).max(400).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .refine((q) => q.release !== undefined || q.entity !== undefined, { message: 'Name a release or an entity.', path: ['release'] });

export type TimelineQuery = z.input<typeof timelineQuery>;

export interface TimelineItem {
  id: string;
  device: string;
  seq: number;
  hlc: string;
  /** The wall-clock time the actor saw (for display; ordering uses the hlc). */
  at: string;
  actor: Actor;
  type: string;
  entity: EntityKey;
  data: EventData;
  pred?: string[];
  /** Set when this version cannot fold the event (written by a newer version): the reason. */
  newerVersion: string | null;
  /** hlc minus `at` when they differ by more than the clock's pull limit (a skew badge), else null. */
  skewMs: number | null;
  /** Stamped more than the pull limit ahead of this device's clock: "device X's clock is ahead". */
  futureDated: boolean;
}

export interface TimelinePage {
  items: TimelineItem[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
  /** Events in the release, for an unfiltered release timeline; null otherwise. */
  total: number | null;
}

export interface ChainFailure {
  seq: number;
  reason: string;
}

export interface DeviceChainStatus {
  device: string;
  fingerprint: string;
  self: boolean;
  events: number;
  headSeq: number;
  ok: boolean;
  failure: ChainFailure | null;
}

export interface VerifyReport {
  ok: boolean;
  events: number;
  devices: DeviceChainStatus[];
  /** Events stored but not folded because a newer version wrote them. */
  deferred: number;
  firstFailure: (ChainFailure & { device: string }) | null;
  /** One line for people and for `warroom verify`. */
  summary: string;
  checkedAt: string;
}

export interface RebuildResult {
  events: number;
  folded: number;
  deferred: number;
  entities: number;
  digest: string;
  previousDigest: string;
  /** True when the rebuilt projections equal the ones they replaced, byte for byte. */
  unchanged: boolean;
  ms: number;
}

export const storeApi = {
  'audit.verify': method<VerifyReport>()({
    input: noInput,
    access: 'read',
    summary: 'Check every device chain: seqs without gaps, prev links, hashes and signatures.',
  }),
  'timeline.page': method<TimelinePage>()({
    input: timelineQuery,
    access: 'read',
    summary: 'One page of a release or entity timeline, newest first, filtered by type or actor.',
  }),
  'store.rebuild': method<RebuildResult>()({
    input: noInput,
    access: 'write',
    summary: 'Drop and refold every projection from the event log; reports whether anything changed.',
  }),
};
