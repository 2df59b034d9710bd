// The core's sync owner: knows whether a shared folder is configured, runs the engine for
// long-lived processes (serve, Electron) and one-shot passes for the CLI, turns admission and
// revocation into events, refuses unusable folders with a stable reason, and runs §1.7 repairs.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError, type ErrorCode } from '../../../shared/api/errors.ts';
import { MARKER_FILE } from '../../../shared/sync/names.ts';
import type { RepairPlan, RepairResult, SetupRefusal, SyncProblem, SyncStatus } from '../../../shared/sync/status.ts';
import type { ChangeBus } from '../changes.ts';
import type { Store } from '../store/index.ts';
import { DEFAULT_POLL_MS, readSyncConfig, writeSyncConfig, type SyncConfig } from './config.ts';
import { FolderRefused, isEffectivelyEmpty, readDeviceFile, readMarker, writeMarker, type Marker } from './folder.ts';
import { SyncEngine, type SyncEngineOptions, type SyncExtension } from './engine.ts';
import type { CompactionOptions } from './compaction.ts';
import type { SegmentParsing } from './segment-reader.ts';
import { errorCode } from './fsops.ts';
import { applyRepair, planRepair } from './repair.ts';

export interface SyncHostOptions {
  /** Keep an engine running (serve, Electron); false: passes only when asked (CLI). */
  run: boolean;
  /** Use this folder (set up or joined on open), e.g. `serve --sync-dir`. */
  folder?: string;
  pollMs?: number;
  watch?: boolean;
  debounceMs?: number;
  stabilityMs?: number;
  /** Where peer segments are parsed (default 'auto': a worker thread for large ones). */
  segmentParsing?: SegmentParsing;
  /** Merging of small own segments (§1.8); false turns it off. */
  compaction?: CompactionOptions | false;
}

export interface SyncHostDeps {
  store: Store;
  dataDir: string;
  appVersion: string;
  changes: ChangeBus;
  now: () => number;
  log: (line: string) => void;
}

export class SyncHost {
  #engine: SyncEngine | null = null;
  #config: SyncConfig | null;
  #stopListening: (() => void) | null = null;
  /** Shared with every engine this host creates (added before or after it starts). */
  readonly #extensions: SyncExtension[] = [];

  constructor(
    readonly deps: SyncHostDeps,
    readonly options: SyncHostOptions,
  ) {
    this.#config = readSyncConfig(deps.dataDir);
  }

  /** Sets up `options.folder` if given, then starts the engine when running and configured. */
  async open(): Promise<void> {
    if (this.options.folder) await this.setup(this.options.folder);
    else if (this.options.run && this.#config) await this.#startEngine();
  }

  /** Other data that travels through the folder each pass (metric sample batches). */
  addExtension(extension: SyncExtension): void {
    this.#extensions.push(extension);
  }

  /** The configured shared folder (without building the whole status), or null. */
  get folder(): string | null {
    return this.#config?.folder ?? null;
  }

  get engine(): SyncEngine | null {
    return this.#engine;
  }

  status(): SyncStatus {
    if (this.#engine) return this.#engine.status();
    const me = this.deps.store.device();
    return {
      state: 'not_configured',
      folder: this.#config?.folder ?? null,
      workspaceId: this.#config?.workspaceId ?? null,
      lastSyncAt: null,
      pollMs: this.#config?.pollMs ?? DEFAULT_POLL_MS,
      watching: false,
      device: { id: me.id, fingerprint: me.fingerprint, admission: null },
      unpublished: 0,
      peers: [],
      problems: [],
    };
  }

  /**
   * Before a process that runs no engine (the CLI) signs its first event: the fork check of a
   * pass (engine.checkIdentity). A running engine did it in its first pass, so this is a no-op.
   */
  checkIdentity(): SyncProblem | null {
    if (!this.#config || this.#engine) return null;
    let engine: SyncEngine;
    try {
      engine = this.#newEngine(this.#config);
    } catch {
      return null; // a configuration that cannot run: `sync status` explains it; writes go on
    }
    try {
      return engine.checkIdentity();
    } finally {
      engine.stop();
    }
  }

  /** One pass now: the running engine's, or a one-shot engine's (no timers left behind). */
  async syncNow(): Promise<SyncStatus> {
    if (this.#engine) return this.#engine.syncNow();
    if (!this.#config) throw new ApiError('not_found', 'No shared folder is set up: choose one in Sync, or run `warroom sync init DIR`.');
    const engine = this.#newEngine(this.#config);
    try {
      return await engine.syncNow();
    } finally {
      engine.stop();
    }
  }

  /**
   * Uses `folder`: an empty one is initialised with this device as genesis; one holding a war
   * room is joined; anything else (another format, another war room than ours) is refused.
   */
  async setup(folder: string, pollMs?: number): Promise<SyncStatus> {
    const path = resolve(folder);
    const marker = this.#prepareFolder(path);
    const config: SyncConfig = { folder: path, workspaceId: marker.workspaceId, ...(pollMs ?? this.#config?.pollMs ? { pollMs: pollMs ?? this.#config?.pollMs } : {}) };
    writeSyncConfig(this.deps.dataDir, config);
    this.#config = config;
    this.#stopEngine();
    if (this.options.run) {
      await this.#startEngine();
      return this.status();
    }
    return this.syncNow();
  }

  #prepareFolder(path: string): Marker {
    const { store } = this.deps;
    if (!existsSync(path)) {
      try {
        mkdirSync(path, { recursive: true });
      } catch (error) {
        throw refuse('invalid_input', `Cannot create the shared folder ${path}: ${(error as { code?: string }).code ?? String(error)}. Check the path and that you may write there.`, 'cannot_create');
      }
    }
    let read = readMarker(path);
    if (read.kind === 'missing') {
      if (!isEmpty(path)) {
        throw refuse('invalid_input', `${path} is not empty and is not a Release War Room sync folder (no warroom-sync.json). Choose an empty folder or the war room's shared folder.`, 'not_empty');
      }
      if (store.trustRoot()) {
        throw refuse('conflict', `This device already belongs to a war room; ${path} is empty. Point it at that war room's shared folder (if it went missing, restore it) instead of starting a new one.`, 'already_in_war_room');
      }
      try {
        writeMarker(path, { deviceId: store.device().id, publicKey: store.publicKey() }, this.deps.now());
      } catch (error) {
        if (error instanceof FolderRefused) throw refuse('unavailable', error.message, error.reason);
        throw refuse('unavailable', `Cannot write ${MARKER_FILE} in ${path}: ${errorCode(error) || String(error)}. Check that you may write there.`, 'unreadable');
      }
      read = readMarker(path);
    }
    if (read.kind === 'refused') throw refuse('invalid_input', read.error.message, read.error.reason);
    if (read.kind !== 'ok') throw refuse('unavailable', `${path}: ${read.kind === 'unreadable' ? read.reason : 'no marker'}. Check the folder is reachable and fully copied, then try again.`, 'unreadable');
    const marker = read.marker;
    const expected = this.#config?.workspaceId;
    if (expected && expected !== marker.workspaceId) {
      throw refuse('conflict', `${path} belongs to another war room (workspace ${marker.workspaceId}); this device syncs with ${expected}. Refusing to mix them.`, 'other_workspace');
    }
    const root = store.trustRoot();
    if (root && root !== marker.genesis.deviceId) {
      throw refuse('conflict', `${path} was started by device ${marker.genesis.deviceId}, but this device's data belongs to the war room started by ${root}. Refusing to mix them.`, 'other_genesis');
    }
    if (marker.genesis.deviceId !== store.device().id) {
      try {
        // The first key seen is pinned: the marker names the genesis device's key.
        store.registerDevice({ id: marker.genesis.deviceId, publicKey: Buffer.from(marker.genesis.publicKey, 'base64url') });
      } catch (error) {
        if (error instanceof ApiError) throw refuse('conflict', `The folder's genesis device ${marker.genesis.deviceId} has another key than the one this device knows. ${error.message}`, 'genesis_key_mismatch');
        throw error;
      }
    }
    store.setTrustRoot(marker.genesis.deviceId);
    return marker;
  }

  async #startEngine(): Promise<void> {
    if (!this.#config || this.#engine) return;
    this.#engine = this.#newEngine(this.#config);
    this.#stopListening = this.deps.store.onChange((notice) => {
      if (notice.topic === 'events') this.#engine?.localChanged();
    });
    // The first pass checks our identity against the folder before anything is written (§1.9).
    await this.#engine.start();
  }

  #newEngine(config: SyncConfig): SyncEngine {
    if (!config.workspaceId) throw new FolderRefused(`The sync configuration in ${this.deps.dataDir} names no war room; set the folder up again.`, 'folder_mismatch');
    const options: SyncEngineOptions = {
      store: this.deps.store,
      folder: config.folder,
      dataDir: this.deps.dataDir,
      appVersion: this.deps.appVersion,
      workspaceId: config.workspaceId,
      pollMs: this.options.pollMs ?? config.pollMs ?? DEFAULT_POLL_MS,
      now: this.deps.now,
      log: this.deps.log,
      onStatusChange: () => this.deps.changes.publish({ topic: 'sync' }),
      extensions: this.#extensions,
    };
    if (this.options.watch !== undefined) options.watch = this.options.watch;
    if (this.options.debounceMs !== undefined) options.debounceMs = this.options.debounceMs;
    if (this.options.stabilityMs !== undefined) options.stabilityMs = this.options.stabilityMs;
    if (this.options.segmentParsing !== undefined) options.segmentParsing = this.options.segmentParsing;
    if (this.options.compaction !== undefined) options.compaction = this.options.compaction;
    return new SyncEngine(options);
  }

  #stopEngine(): void {
    this.#stopListening?.();
    this.#stopListening = null;
    this.#engine?.stop();
    this.#engine = null;
  }

  /** Writes device.admitted after the person compared fingerprints. */
  admit(device: string): SyncStatus {
    const { store } = this.deps;
    this.#requireTrusted('admit');
    const fingerprint = this.#fingerprintOf(device);
    if (device === store.device().id) throw new ApiError('invalid_input', 'A device cannot admit itself.', 'device');
    const t = store.trust()?.get(device);
    if (!t?.admitted) {
      store.appendEvents([{ type: 'device.admitted', entity: { kind: 'device', id: device }, data: { fingerprint } }]);
    }
    return this.status();
  }

  revoke(device: string, reason: string): SyncStatus {
    const { store } = this.deps;
    this.#requireTrusted('revoke');
    if (device === store.device().id) throw new ApiError('invalid_input', 'A device cannot revoke itself.', 'device');
    if (!store.heads().some((h) => h.device === device)) throw new ApiError('not_found', `No device ${device} is known here.`, 'device');
    const after = store.heads().find((h) => h.device === device)?.seq ?? 0;
    store.appendEvents([{ type: 'device.revoked', entity: { kind: 'device', id: device }, data: { reason, after } }]);
    return this.status();
  }

  #requireTrusted(what: string): void {
    const { store } = this.deps;
    const trust = store.trust();
    if (!trust) throw new ApiError('not_found', 'No shared folder is set up, so there are no devices to admit or revoke.');
    if (!trust.get(store.device().id)?.admitted) {
      throw new ApiError('forbidden', `This device is itself waiting for admission, so it cannot ${what} others yet.`);
    }
  }

  #fingerprintOf(device: string): string {
    const peer = this.status().peers.find((p) => p.id === device);
    if (peer?.fingerprint) return peer.fingerprint;
    if (this.#config) {
      const file = readDeviceFile(this.#config.folder, device);
      if (file.kind === 'ok') return file.file.fingerprint;
    }
    throw new ApiError('not_found', `Device ${device} has not published its device.json in the shared folder yet.`, 'device');
  }

  /** What a repair of `device`'s log folder would write (after a pass, so problems are current). */
  async repairPlan(device: string): Promise<RepairPlan> {
    const { folder, problems } = await this.#repairContext();
    return planRepair(folder, this.deps.store, device, problems);
  }

  /** Writes the repair's files (the person confirmed the plan), then runs a pass to see them. */
  async repair(device: string): Promise<RepairResult> {
    const { folder, problems } = await this.#repairContext();
    const result = await applyRepair(folder, this.deps.store, device, problems);
    this.deps.log(`sync: repaired device ${device}: wrote ${result.written.length} file(s), ${result.events} event(s)`);
    if (this.#engine && result.written.length > 0) await this.#engine.syncNow();
    return result;
  }

  async #repairContext(): Promise<{ folder: string; problems: readonly SyncProblem[] }> {
    if (!this.#config) {
      throw new ApiError('not_found', 'No shared folder is set up, so there is nothing to repair.', undefined, 'not_configured');
    }
    const status = this.#engine ? this.#engine.status() : await this.syncNow();
    return { folder: this.#config.folder, problems: status.problems };
  }

  close(): void {
    this.#stopEngine();
  }
}

function refuse(code: ErrorCode, message: string, reason: SetupRefusal): ApiError {
  return new ApiError(code, message, 'folder', reason);
}

/** Empty but for OS metadata; a folder that cannot be listed is refused as unreadable. */
function isEmpty(path: string): boolean {
  try {
    return isEffectivelyEmpty(path);
  } catch (error) {
    throw refuse('unavailable', `Cannot list ${path}: ${errorCode(error) || String(error)}. Check it is a folder you may read.`, 'unreadable');
  }
}
