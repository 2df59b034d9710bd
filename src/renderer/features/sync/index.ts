// Public face of the sync feature: the shell imports only from here.
export { SyncView } from './SyncView.tsx';
export { SYNC_STATE_TEXT, type Tone } from './sync-state.ts';
