// The event types this version writes and folds: their entity kind, payload schema and effect on
// the entity's state. Feature work adds types here; a type missing from the catalog (written by a
// newer version) is stored and deferred, never dropped.
import { z } from 'zod';
import { ROLES } from '../domain/people.ts';
import type { JsonValue } from './canonical.ts';
import type { EventData } from './envelope.ts';
import { GONOGO_EVENTS } from './gonogo-events.ts';
import { METRIC_EVENTS } from './metric-events.ts';
import { RELEASE_EVENTS } from './release-events.ts';

/**
 * What an event does to its entity. Every effect is a set operation (register write, counter,
 * flag, set add/remove), so the fold is order-independent by construction and the sorted order
 * only decides which value is shown first.
 */
export type Effect =
  | { op: 'register'; name: string; value: JsonValue }
  | { op: 'count'; name: string }
  | { op: 'flag'; name: string }
  | { op: 'add'; set: string; value: { [key: string]: JsonValue } }
  | { op: 'remove'; set: string; of: string };

export interface EventTypeSpec {
  readonly entity: string;
  readonly summary: string;
  readonly data: z.ZodType<EventData>;
  readonly effects: (data: EventData) => Effect[];
}

export type EventCatalog = Readonly<Record<string, EventTypeSpec>>;

const text = (max: number) => z.string().trim().min(1).max(max);

export { RELEASE_TYPES } from '../domain/releases.ts';
export { DECISION_OUTCOMES as OUTCOMES } from './gonogo-events.ts';

function spec<S extends z.ZodType<EventData>>(
  entity: string,
  summary: string,
  data: S,
  effects: (data: z.output<S>) => Effect[],
): EventTypeSpec {
  return { entity, summary, data, effects: effects as (data: EventData) => Effect[] };
}

export const EVENT_CATALOG: EventCatalog = {
  'profile.changed': spec(
    'person',
    'The person at a device set or changed their name or role.',
    z.strictObject({ name: text(80), role: z.enum(ROLES) }),
    (d) => [{ op: 'register', name: 'profile', value: { name: d.name, role: d.role } }],
  ),
  ...RELEASE_EVENTS,
  'release.archived': spec(
    'release',
    'A release was archived (a tombstone; nothing is deleted).',
    z.strictObject({ reason: text(500).optional() }),
    () => [{ op: 'flag', name: 'archived' }],
  ),
  'note.added': spec(
    'release',
    'A note on the release timeline.',
    z.strictObject({ text: text(4000) }),
    () => [{ op: 'count', name: 'notes' }],
  ),
  'step.ticked': spec(
    'step',
    'A runbook checklist item was ticked or unticked.',
    z.strictObject({ release: text(200), done: z.boolean(), note: text(1000).optional() }),
    (d) => [
      { op: 'register', name: 'done', value: d.done },
      { op: 'count', name: 'ticks' },
    ],
  ),
  'device.admitted': spec(
    'device',
    'A trusted device admitted a device to the shared folder after comparing its key fingerprint.',
    z.strictObject({ fingerprint: z.string().regex(/^[0-9a-f]{4}(-[0-9a-f]{4}){4}$/), name: text(80).optional() }),
    (d) => [{ op: 'add', set: 'admissions', value: { fingerprint: d.fingerprint } }],
  ),
  'device.revoked': spec(
    'device',
    'A trusted device revoked a device: its events after `after` are kept but no longer folded.',
    z.strictObject({ reason: text(500), after: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }),
    (d) => [{ op: 'add', set: 'revocations', value: { reason: d.reason, after: d.after } }],
  ),
  ...GONOGO_EVENTS,
  ...METRIC_EVENTS,
};

export type Classification =
  | { fold: true; spec: EventTypeSpec; effects: Effect[] }
  | { fold: false; reason: string };

/**
 * Whether this version can fold an event. Unknown types, other entity kinds and payloads that do
 * not match (e.g. fields added by a newer version) are deferred: kept, listed, not folded.
 */
export function classifyEvent(
  catalog: EventCatalog,
  event: { type: string; v: number; entity: { kind: string }; data: EventData },
  newerReason?: string,
): Classification {
  if (newerReason) return { fold: false, reason: newerReason };
  const found = Object.prototype.hasOwnProperty.call(catalog, event.type) ? catalog[event.type] : undefined;
  if (!found) return { fold: false, reason: `unknown event type ${event.type}` };
  if (found.entity !== event.entity.kind) return { fold: false, reason: `${event.type} on a ${event.entity.kind}` };
  const parsed = found.data.safeParse(event.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { fold: false, reason: `payload not understood: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'}` };
  }
  return { fold: true, spec: found, effects: found.effects(parsed.data) };
}
