// The API contract: every method any client may call, declared once. The core's dispatch
// table, the IPC registration, the HTTP routes, the preload typing and the renderer client
// are all derived from this object.
import type { z } from 'zod';
import { mergeGroups } from './define.ts';
import { appApi } from './app.ts';
import { storeApi } from './store.ts';
import { releasesApi } from './releases.ts';
import { runbooksApi } from './runbooks.ts';
import { gonogoApi } from './gonogo.ts';
import { syncApi } from './sync.ts';
import { metricsApi } from './metrics.ts';

export const api = mergeGroups(appApi, storeApi, releasesApi, runbooksApi, gonogoApi, syncApi, metricsApi);

export type Api = typeof api;
export type MethodName = keyof Api & string;
/** What a caller passes (before defaults and trimming). */
export type InputOf<M extends MethodName> = z.input<Api[M]['input']>;
/** What a handler receives (after the schema parsed it). */
export type ParsedInputOf<M extends MethodName> = z.output<Api[M]['input']>;
export type ResultOf<M extends MethodName> = Exclude<Api[M]['__result'], undefined>;

export const METHOD_NAMES = Object.keys(api) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}
