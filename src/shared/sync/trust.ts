// Who is trusted (SYNC-PROTOCOL §1.9): a pure function of the workspace's genesis device and the
// device.admitted / device.revoked events, so every device decides the same from the same set.
// An admission counts only when its writer is itself trusted at that seq; a revocation stops
// folding the revoked device's events after the seq its writer had seen.

export interface TrustEvent {
  device: string;
  seq: number;
  type: string;
  entityId: string;
  data: Record<string, unknown>;
}

export interface DeviceTrust {
  admitted: boolean;
  /** Events with seq above this are not folded (revocation); null: no bound. */
  foldUpTo: number | null;
  revokedReason: string | null;
  /** Who admitted it first (device id), or 'genesis'. */
  admittedBy: string | null;
}

export const ADMITTED = 'device.admitted';
export const REVOKED = 'device.revoked';
export const TRUST_TYPES = [ADMITTED, REVOKED] as const;

/** Held events carry this prefix in their `deferred` reason, so trust changes find them. */
export const TRUST_HOLD_PREFIX = 'trust: ';

export function computeTrust(root: string, events: readonly TrustEvent[]): Map<string, DeviceTrust> {
  // Deterministic: order never matters, only membership; iterate to a fixpoint.
  const sorted = [...events].sort((a, b) => (a.device === b.device ? a.seq - b.seq : a.device < b.device ? -1 : 1));
  let bounds = new Map<string, { upTo: number; reason: string }>();
  let result = new Map<string, DeviceTrust>();
  for (let round = 0; round < 16; round++) {
    const admittedBy = new Map<string, string>([[root, 'genesis']]);
    const within = (device: string, seq: number) => {
      const bound = bounds.get(device);
      return admittedBy.has(device) && (!bound || seq <= bound.upTo);
    };
    for (let grew = true; grew; ) {
      grew = false;
      for (const e of sorted) {
        if (e.type !== ADMITTED || admittedBy.has(e.entityId) || !within(e.device, e.seq)) continue;
        admittedBy.set(e.entityId, e.device);
        grew = true;
      }
    }
    const nextBounds = new Map<string, { upTo: number; reason: string }>();
    for (const e of sorted) {
      if (e.type !== REVOKED || !within(e.device, e.seq) || e.entityId === e.device) continue;
      const after = typeof e.data.after === 'number' && Number.isSafeInteger(e.data.after) && e.data.after >= 0 ? e.data.after : 0;
      const current = nextBounds.get(e.entityId);
      if (!current || after < current.upTo) nextBounds.set(e.entityId, { upTo: after, reason: typeof e.data.reason === 'string' ? e.data.reason : '' });
    }
    result = new Map();
    for (const [device, by] of admittedBy) {
      const bound = nextBounds.get(device);
      result.set(device, { admitted: true, foldUpTo: bound?.upTo ?? null, revokedReason: bound?.reason ?? null, admittedBy: by });
    }
    for (const [device, bound] of nextBounds) {
      if (!result.has(device)) result.set(device, { admitted: false, foldUpTo: bound.upTo, revokedReason: bound.reason, admittedBy: null });
    }
    if (sameBounds(bounds, nextBounds)) break;
    bounds = nextBounds;
  }
  return result;
}

function sameBounds(a: Map<string, { upTo: number }>, b: Map<string, { upTo: number }>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k)?.upTo !== v.upTo) return false;
  return true;
}

/** Why an event of `device` at `seq` is held, or null when it folds. */
export function holdReason(trust: Map<string, DeviceTrust>, device: string, seq: number, self: boolean): string | null {
  const t = trust.get(device);
  if (t?.foldUpTo !== null && t?.foldUpTo !== undefined && seq > t.foldUpTo) {
    return `${TRUST_HOLD_PREFIX}device revoked after seq ${t.foldUpTo}${t.revokedReason ? ` (${t.revokedReason})` : ''}`;
  }
  // A device always shows its own work; others' events wait until an admitted device admits it.
  if (self || t?.admitted) return null;
  return `${TRUST_HOLD_PREFIX}waiting for admission`;
}
