// Public face of the audit feature: the shell and the store import only from here.
export { AuditView } from './AuditView.tsx';
export { createAuditSlice, type AuditSlice } from './audit-slice.ts';
