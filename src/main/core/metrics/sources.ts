// Metric sources as the handlers see them: where each one's secret lives (never the secret),
// saving with the secret going to this device's keychain only, removal, and a connection test.
// The event carries the config, which names where a secret comes from but never holds one.
import { accessSync, constants } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors.ts';
import type { SourceSummary } from '../../../shared/api/metrics.ts';
import type { SecretRef, SourceConfig } from '../../../shared/metrics/model.ts';
import type { CoreContext } from '../context.ts';
import { sourceSecretName } from '../secrets.ts';
import { readSource, readSources, type SourceEntry } from './config.ts';
import { instantQuery, resolveSecretFor } from './prometheus-client.ts';

/** The secret reference of a source's auth, if it has one. */
export function secretRefOf(config: SourceConfig): SecretRef | null {
  if (config.kind !== 'prometheus' || !config.auth) return null;
  return config.auth.type === 'bearer' ? config.auth.token : config.auth.password;
}

function authText(ctx: CoreContext, entry: Pick<SourceEntry, 'name' | 'config'>): string {
  const ref = secretRefOf(entry.config);
  if (!ref) return 'none';
  if (ref.from === 'env') return `env ${ref.env}`;
  const stored = ctx.secrets?.names().includes(sourceSecretName(entry.name)) ?? false;
  return stored ? 'keychain (stored on this device)' : 'keychain (not on this device)';
}

export function summarizeSource(ctx: CoreContext, entry: SourceEntry): SourceSummary {
  return { name: entry.name, kind: entry.config.kind, config: entry.config, auth: authText(ctx, entry), health: ctx.metrics.sourceHealth(entry.name), updatedBy: entry.updatedBy, updatedAt: entry.updatedAt };
}

export function listSources(ctx: CoreContext): SourceSummary[] {
  return readSources(ctx.store).map((s) => summarizeSource(ctx, s));
}

export function requireSource(ctx: CoreContext, name: string, field = 'source'): SourceEntry {
  const entry = readSource(ctx.store, name);
  if (entry) return entry;
  const names = readSources(ctx.store).map((s) => s.name);
  const known = names.length ? `known: ${names.join(', ')}` : 'none is configured yet';
  throw new ApiError('not_found', `No metric source "${name}" (${known}); add it with \`warroom metrics source add ${name} …\`.`, field);
}

/** Saves a source; a secret goes to this device's keychain first, the event names only where it is. */
export function saveSource(ctx: CoreContext, name: string, config: SourceConfig, secret: string | undefined): SourceSummary {
  const ref = secretRefOf(config);
  if (secret !== undefined) {
    if (ref?.from !== 'keychain') {
      throw new ApiError('invalid_input', 'A secret is only kept for a source whose auth says {from: "keychain"}; with an environment variable, set the variable instead.', 'secret');
    }
    if (!ctx.secrets) {
      throw new ApiError(
        'unavailable',
        'This process has no keychain to keep the secret in: name an environment variable instead (`--token-env VAR`), or save the secret in the desktop app.',
        'secret',
      );
    }
    try {
      ctx.secrets.set(sourceSecretName(name), secret);
    } catch (error) {
      throw new ApiError('unavailable', `The secret was not stored: ${(error as Error).message}`, 'secret');
    }
  }
  ctx.store.appendEvents([{ type: 'metric.source_saved', entity: { kind: 'metric_source', id: name }, data: { config } }]);
  // A source that no longer reads the keychain leaves nothing behind in it.
  if (ref?.from !== 'keychain') forgetSecret(ctx, name);
  return summarizeSource(ctx, readSource(ctx.store, name)!);
}

export function removeSource(ctx: CoreContext, name: string): { name: string } {
  requireSource(ctx, name, 'name');
  ctx.store.appendEvents([{ type: 'metric.source_saved', entity: { kind: 'metric_source', id: name }, data: { config: null } }]);
  forgetSecret(ctx, name);
  return { name };
}

function forgetSecret(ctx: CoreContext, name: string): void {
  if (ctx.secrets?.names().includes(sourceSecretName(name))) ctx.secrets.delete(sourceSecretName(name));
}

export interface SourceTest {
  ok: boolean;
  message: string;
  latencyMs: number;
}

/** Asks a source whether it answers: Prometheus a tiny instant query, a file feed that it is readable. */
export async function testSource(ctx: CoreContext, name: string): Promise<SourceTest> {
  const { config } = requireSource(ctx, name, 'name');
  const started = performance.now();
  const done = (ok: boolean, message: string): SourceTest => ({ ok, message, latencyMs: Math.round(performance.now() - started) });
  if (config.kind === 'manual') return done(true, 'Manual readings need no connection.');
  if (config.kind === 'file') {
    const folder = ctx.sync.status().folder;
    if (!isAbsolute(config.path) && !folder) return done(false, `${config.path} is relative to the shared folder, and no shared folder is set up on this device.`);
    const path = isAbsolute(config.path) ? config.path : join(folder!, config.path);
    try {
      accessSync(path, constants.R_OK);
      return done(true, `${path} is readable.`);
    } catch (error) {
      return done(false, `${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
  }
  const answer = await instantQuery(config, resolveSecretFor(ctx, name), '1');
  return answer.ok ? done(true, `Prometheus at ${config.url} answers.`) : done(false, answer.error);
}
