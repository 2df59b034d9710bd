// Public face of the timeline feature: the shell imports only from here.
export { TimelineView } from './TimelineView.tsx';
