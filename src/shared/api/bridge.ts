// The surface the preload script exposes as `window.warroom`, and the HTTP conventions of
// `serve`. Both clients (bridge and HTTP) speak the same ApiResult shape.
import type { ChangeNotice } from './changes.ts';
import type { ApiResult } from './errors.ts';

export interface WarroomBridge {
  invoke(method: string, input: unknown): Promise<ApiResult<unknown>>;
  subscribe(listener: (notice: ChangeNotice) => void): () => void;
  /** Commands from the native application menu (e.g. `navigate:releases`, `theme:toggle`). */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

export const SECTIONS = ['releases', 'runbooks', 'gonogo', 'timeline', 'metrics', 'postmortems', 'sync', 'audit'] as const;
export type SectionId = (typeof SECTIONS)[number];
/** Section names as people read them; the menu and the renderer's navigation both use these. */
export const SECTION_LABELS: Record<SectionId, string> = {
  releases: 'Releases',
  runbooks: 'Runbooks',
  gonogo: 'Go/No-Go',
  timeline: 'Timeline',
  metrics: 'Metrics',
  postmortems: 'Post-mortems',
  sync: 'Sync',
  audit: 'Audit',
};
export type MenuCommand = `navigate:${SectionId}` | 'theme:toggle' | 'help:shortcuts';
export const IPC_MENU_CHANNEL = 'warroom:menu';

/** IPC channel names: one for calls, one for pushed changes. */
export const IPC_INVOKE_CHANNEL = 'warroom:invoke';
export const IPC_CHANGE_CHANNEL = 'warroom:change';

/** HTTP: `POST ${API_PREFIX}<method>` with a JSON body; server-sent events at CHANGES_PATH. */
export const API_PREFIX = '/api/';
export const CHANGES_PATH = '/api/changes';
/** Query parameter and cookie that carry the LAN token for requests that cannot set headers. */
export const TOKEN_PARAM = 'token';
export const TOKEN_COOKIE = 'warroom_token';
