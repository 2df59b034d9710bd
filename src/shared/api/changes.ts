// What the core pushes to subscribers (renderer, wall display) when state changes.
export interface EntityRef {
  kind: string;
  id: string;
}

export type ChangeNotice =
  | { topic: 'events'; entities: EntityRef[]; count: number }
  | { topic: 'profile' }
  | { topic: 'sync' };
