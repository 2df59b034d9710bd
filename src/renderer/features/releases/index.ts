// Public face of the releases feature: the shell and the store import only from here.
export { ReleasesView } from './ReleasesView.tsx';
export { createReleasesSlice, type ReleasesSlice, type Outcome } from './releases-slice.ts';
export { releasesView, type ReleasesRoute } from './routes.ts';
