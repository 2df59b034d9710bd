// Public face of the runbooks feature: the shell, the store and the releases feature import only from here.
export { RunbooksView } from './RunbooksView.tsx';
export { RunnerView } from './RunnerView.tsx';
export { createRunbooksSlice, type RunbooksSlice } from './runbooks-slice.ts';
export { readAsBase64 } from './files.ts';
