// The one write path for local changes: validate → HLC send → envelope with prev/hash/sig →
// insert → fold the entity → commit, all in one transaction.
import { ApiError } from '../../../shared/api/errors.ts';
import { classifyEvent, type EventCatalog } from '../../../shared/events/catalog.ts';
import { ENVELOPE_VERSION, eventId, type Actor, type EntityKey, type EventData, type EventEnvelope, type UnsignedEvent } from '../../../shared/events/envelope.ts';
import { currentIds, hasRegisterEffect } from '../../../shared/events/fold.ts';
import { sendClock, stamp } from '../../../shared/events/hlc.ts';
import { inputError } from '../dispatch.ts';
import { isSqliteError, sql, type Db } from './db.ts';
import { sha256, signHash, type DeviceKeys } from './identity.ts';
import { canonicalBody, insertEvent, readClock, writeClock } from './log.ts';
import { foldStored, loadEntity } from './projections.ts';

export interface EventCommand {
  type: string;
  entity: EntityKey;
  data: Record<string, unknown>;
  /**
   * Ids of the values this edit saw. Omitted: the values this device currently shows, which is
   * exactly what its user saw. Only meaningful for register fields.
   */
  pred?: string[];
}

export interface AppendContext {
  readonly db: Db;
  readonly keys: DeviceKeys;
  readonly catalog: EventCatalog;
  readonly now: () => number;
}

interface Prepared {
  command: EventCommand;
  data: EventData;
  verdict: ReturnType<typeof classifyEvent> & { fold: true };
}

/** Checks every command before the transaction starts; the first problem names its field. */
export function prepareCommands(catalog: EventCatalog, commands: readonly EventCommand[]): Prepared[] {
  if (commands.length === 0) throw new ApiError('invalid_input', 'Nothing to record.');
  return commands.map((command, i) => {
    const at = commands.length > 1 ? `events.${i}.` : '';
    const found = Object.prototype.hasOwnProperty.call(catalog, command.type) ? catalog[command.type] : undefined;
    if (!found) throw new ApiError('invalid_input', `Unknown event type "${command.type}".`, `${at}type`);
    if (command.entity?.kind !== found.entity || typeof command.entity.id !== 'string' || !command.entity.id || command.entity.id.length > 200) {
      throw new ApiError('invalid_input', `${command.type} belongs to a ${found.entity} with an id.`, `${at}entity`);
    }
    const parsed = found.data.safeParse(command.data);
    if (!parsed.success) {
      const error = inputError(parsed.error);
      throw new ApiError('invalid_input', error.message, `${at}data${error.field ? `.${error.field}` : ''}`);
    }
    const verdict = classifyEvent(catalog, { type: command.type, v: ENVELOPE_VERSION, entity: command.entity, data: parsed.data });
    if (!verdict.fold) throw new ApiError('invalid_input', verdict.reason, `${at}data`);
    if (command.pred && (!Array.isArray(command.pred) || command.pred.some((p) => typeof p !== 'string' || !/^[A-Za-z0-9_]{1,64}:\d{1,16}$/.test(p)))) {
      throw new ApiError('invalid_input', 'pred lists event ids (device:seq).', `${at}pred`);
    }
    return { command, data: parsed.data, verdict };
  });
}

export function appendPrepared(ctx: AppendContext, prepared: readonly Prepared[], actorFor: () => Actor): EventEnvelope[] {
  const { db, keys, catalog } = ctx;
  try {
    return db.write(() => {
      const actor = actorFor();
      const head = db.get<{ head_seq: number; head_hash: Buffer | null }>(sql`SELECT head_seq, head_hash FROM devices WHERE id = ${keys.id}`);
      if (!head) throw new Error('This device is not registered in its own database.');
      let seq = head.head_seq;
      let prev = head.head_hash;
      let clock = readClock(db);
      const written: EventEnvelope[] = [];
      for (const { command, data, verdict } of prepared) {
        const wallNow = ctx.now();
        clock = sendClock(clock, wallNow);
        seq += 1;
        const entity = { kind: command.entity.kind, id: command.entity.id };
        const state = loadEntity(db, entity.kind, entity.id);
        const pred = command.pred ? [...new Set(command.pred)].sort() : hasRegisterEffect(verdict.effects) ? currentIds(state, verdict.effects) : undefined;
        const event: UnsignedEvent = {
          id: eventId(keys.id, seq),
          device: keys.id,
          seq,
          hlc: stamp(clock, keys.id),
          at: isoTime(wallNow, clock.wall),
          actor,
          type: command.type,
          entity,
          data,
          ...(pred ? { pred } : {}),
          v: ENVELOPE_VERSION,
          prev: prev ? prev.toString('hex') : null,
        };
        const body = canonicalBody(event);
        const hash = sha256(body);
        const sig = signHash(keys.privateKey, hash);
        insertEvent(db, { event, body, hash, sig, origin: 'local', deferred: null });
        foldStored(db, event, verdict.effects, catalog, state);
        written.push({ ...event, hash: hash.toString('hex'), sig: sig.toString('base64url') });
        prev = hash;
      }
      writeClock(db, clock);
      return written;
    });
  } catch (error) {
    throw storageError(error);
  }
}

/** The actor's own wall clock for display; a broken clock shows the HLC's time instead. */
function isoTime(now: number, fallback: number): string {
  const ms = Number.isFinite(now) && now >= 0 && now < 8.64e15 ? now : fallback;
  return new Date(Math.floor(ms)).toISOString();
}

/** Disk-full and lock errors become errors people (and the UI) can act on; nothing was written. */
export function storageError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (isSqliteError(error, 'SQLITE_FULL') || (error as { code?: string } | null)?.code === 'ENOSPC') {
    return new ApiError('storage_full', 'Not recorded: the disk holding the data folder is full. Free some disk space and try again.');
  }
  if (isSqliteError(error, 'SQLITE_BUSY')) {
    return new ApiError('unavailable', 'Not recorded: the database stayed locked by another process; try again.');
  }
  return error;
}
