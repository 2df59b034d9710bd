// The section registry: each section's view and icon, looked up by id. The views come from
// each feature's public index, never from inside the feature folders.
import type { ComponentType } from 'react';
import type { SectionId } from '../../shared/api/bridge.ts';
import {
  AuditIcon,
  GoNoGoIcon,
  MetricsIcon,
  PostmortemsIcon,
  ReleasesIcon,
  RunbooksIcon,
  SyncIcon,
  TimelineIcon,
} from '../components/icons.tsx';
import { AuditView } from '../features/audit/index.ts';
import { GoNoGoView } from '../features/gonogo/index.ts';
import { MetricsView } from '../features/metrics/index.ts';
import { PostmortemsView } from '../features/postmortems/index.ts';
import { ReleasesView } from '../features/releases/index.ts';
import { RunbooksView } from '../features/runbooks/index.ts';
import { SyncView } from '../features/sync/index.ts';
import { TimelineView } from '../features/timeline/index.ts';

export interface SectionParts {
  View: ComponentType;
  Icon: ComponentType<{ size?: number }>;
}

export const SECTION_PARTS: Record<SectionId, SectionParts> = {
  releases: { View: ReleasesView, Icon: ReleasesIcon },
  runbooks: { View: RunbooksView, Icon: RunbooksIcon },
  gonogo: { View: GoNoGoView, Icon: GoNoGoIcon },
  timeline: { View: TimelineView, Icon: TimelineIcon },
  metrics: { View: MetricsView, Icon: MetricsIcon },
  postmortems: { View: PostmortemsView, Icon: PostmortemsIcon },
  sync: { View: SyncView, Icon: SyncIcon },
  audit: { View: AuditView, Icon: AuditIcon },
};
