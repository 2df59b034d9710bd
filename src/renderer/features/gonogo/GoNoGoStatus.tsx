// The status bar's go/no-go item: the state of the release on screen (its board or its page in
// Releases), so the room sees "open items", "GO" or "decision conflict" from anywhere.
import { useEffect, useState } from 'react';
import { BOARD_STATE_LABELS, type BoardState } from '../../../shared/gonogo/board.ts';
import { useApp, useClient } from '../../state/context.tsx';

const TONE: Record<BoardState, string> = {
  no_checklist: 'neutral',
  open: 'warn',
  ready: 'ok',
  none: 'neutral',
  go: 'ok',
  go_with_conditions: 'warn',
  no_go: 'danger',
  decision_conflict: 'danger',
};

export function GoNoGoStatus() {
  const client = useClient();
  const section = useApp((s) => s.section);
  const view = useApp((s) => s.view);
  const first = section === 'gonogo' || section === 'releases' ? decodeURIComponent(view.split('/')[0] ?? '') : '';
  const release = first && first !== 'new' ? first : '';
  const [shown, setShown] = useState<{ release: string; name: string; state: BoardState } | null>(null);

  useEffect(() => {
    if (!release) return;
    let live = true;
    const load = () =>
      client
        .call('gonogo.get', { release })
        .then((b) => live && setShown({ release, name: b.name, state: b.state }))
        .catch(() => live && setShown(null));
    void Promise.resolve().then(load);
    const stop = client.subscribe((notice) => {
      if (notice.topic === 'events' && notice.entities.some((e) => e.kind === 'release' && e.id === release)) void load();
    });
    return () => {
      live = false;
      stop();
    };
  }, [client, release]);

  if (!release || !shown || shown.release !== release) return null;
  return (
    <div className="status-bar__item" data-testid="status-gonogo" title={`Go/no-go of ${shown.name}`}>
      <span className={`dot dot--${TONE[shown.state]}`} aria-hidden="true" />
      Go/no-go: {BOARD_STATE_LABELS[shown.state]}
    </div>
  );
}
