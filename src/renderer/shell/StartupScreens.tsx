// What shows before the shell can: waiting for the core, or why it could not be reached.
import { WarningIcon } from '../components/icons.tsx';
import { InlineCode } from '../components/InlineCode.tsx';
import type { Problem } from '../state/session.ts';
import './startup.css';

export function LoadingScreen() {
  return (
    <main className="startup" id="main" aria-busy="true">
      <div className="startup__panel" role="status">
        <div className="spinner" aria-hidden="true" />
        <p>Connecting to the War Room core…</p>
      </div>
    </main>
  );
}

export function LoadErrorScreen({ problem, retrying, onRetry }: { problem: Problem; retrying: boolean; onRetry(): void }) {
  const unreachable = problem.code === 'unavailable';
  return (
    <main className="startup" id="main">
      <div className="startup__panel startup__panel--error" role="alert">
        <div className="startup__icon">
          <WarningIcon size={28} />
        </div>
        <h1>{unreachable ? 'Cannot reach the War Room core' : "Could not load this device's information"}</h1>
        {/* For an unreachable core the heading already says it all; other failures carry the
            core's own explanation. */}
        {!unreachable && (
          <p className="startup__message">
            <InlineCode text={problem.message} />
          </p>
        )}
        <p className="startup__advice">
          {unreachable ? (
            <>
              In a browser, check that <code>warroom serve</code> is still running and that this address is the one it
              printed. In the desktop app, quit and start it again.
            </>
          ) : (
            'Nothing was changed. Try again; if this keeps happening, the core’s log has the details.'
          )}
        </p>
        <div className="startup__actions">
          <button
            type="button"
            className="button button--primary"
            onClick={onRetry}
            aria-disabled={retrying || undefined}
            autoFocus
          >
            {retrying ? 'Retrying…' : 'Retry'}
          </button>
          <span className="startup__code">
            Error code: <code>{problem.code}</code>
          </span>
        </div>
      </div>
    </main>
  );
}
