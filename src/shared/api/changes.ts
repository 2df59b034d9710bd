// What the core pushes to subscribers (renderer, wall display) when state changes.
export interface EntityRef {
  kind: string;
  id: string;
}

export type ChangeNotice =
  | { topic: 'events'; entities: EntityRef[]; count: number }
  | { topic: 'profile' }
  | { topic: 'sync' }
  /** New samples or panel states for a release (a refresh ran, a batch arrived through sync). */
  | { topic: 'metrics'; release: string }
  /** An alert rule changed state on this device's refresh (desktop notification in Electron). */
  | { topic: 'alert'; release: string; rule: string; title: string; state: 'firing' | 'resolved' | 'no_data'; detail: string };
