// Public face of the timeline feature: the shell, the store and other features import only from here.
export { TimelineView } from './TimelineView.tsx';
export { ReleaseTimeline } from './ReleaseTimeline.tsx';
export { createTimelineSlice, type TimelineSlice } from './timeline-slice.ts';
