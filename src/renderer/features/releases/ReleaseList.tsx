// The release list: filter by status and type, search, sort by window, open a release. With no
// releases at all it is the "plan your first release" panel instead.
import { useEffect, useId } from 'react';
import { RELEASE_STATUSES, RELEASE_TYPES, STATUS_LABELS, type ReleaseStatus, type ReleaseType } from '../../../shared/domain/releases.ts';
import type { ReleaseSummary } from '../../../shared/api/releases.ts';
import { ReleasesIcon } from '../../components/icons.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';
import { useApp } from '../../state/context.tsx';
import { STATUS_TONES, TYPE_LABELS, statusText, windowText } from './release-text.ts';
import type { ReleaseSort } from './releases-slice.ts';
import { releasesView } from './routes.ts';

const SORTS: Record<ReleaseSort, string> = {
  window: 'Window, soonest first',
  '-window': 'Window, latest first',
  '-created': 'Newest planned first',
  created: 'Oldest planned first',
};

export function ReleaseList() {
  const list = useApp((s) => s.releases.list);
  const anyExist = useApp((s) => s.releases.anyExist);
  const problem = useApp((s) => s.releases.listProblem);
  const filters = useApp((s) => s.releases.filters);
  const setFilters = useApp((s) => s.setReleaseFilters);
  const loadReleases = useApp((s) => s.loadReleases);
  const navigate = useApp((s) => s.navigate);
  const readOnly = useApp((s) => s.info?.access === 'read');
  const ids = { status: useId(), type: useId(), sort: useId(), text: useId() };

  useEffect(() => {
    void loadReleases();
  }, [loadReleases]);

  const plan = () => navigate('releases', { view: releasesView({ page: 'new' }) });
  const open = (id: string) => navigate('releases', { view: releasesView({ page: 'release', id }) });
  const filtered = Boolean(filters.status || filters.type || filters.text.trim());

  const planButton = readOnly ? null : (
    <button type="button" className="button button--primary" onClick={plan}>
      Plan a release
    </button>
  );

  if (list !== null && !anyExist && !filtered) {
    return (
      <SectionPage id="releases" summary="Release windows, their scope, type and owner, and where each stands.">
        <div className="empty-state">
          <div className="empty-state__icon">
            <ReleasesIcon size={28} />
          </div>
          <h2 className="empty-state__title">No releases yet</h2>
          <div className="empty-state__body">
            <p>
              Plan a release: its name and version, type and change class, the services and environment it touches, the
              deployment strategy and its window in the time zone you plan it in. Then attach a runbook and run it.
            </p>
          </div>
          {planButton && <div className="empty-state__action">{planButton}</div>}
          <p className="empty-state__hint">
            <ShortcutHint id="releases" />
          </p>
        </div>
      </SectionPage>
    );
  }

  return (
    <SectionPage id="releases" summary="Release windows, their scope, type and owner, and where each stands." actions={planButton} wide>
      <div className="toolbar" role="search" aria-label="Filter releases">
        <div className="field">
          <label htmlFor={ids.status}>Status</label>
          <select
            id={ids.status}
            className="select"
            value={filters.status}
            onChange={(e) => setFilters({ status: e.target.value as ReleaseStatus | '' })}
          >
            <option value="">Any status</option>
            {RELEASE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusText(STATUS_LABELS[s])}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.type}>Type</label>
          <select id={ids.type} className="select" value={filters.type} onChange={(e) => setFilters({ type: e.target.value as ReleaseType | '' })}>
            <option value="">Any type</option>
            {RELEASE_TYPES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.sort}>Sort</label>
          <select id={ids.sort} className="select" value={filters.sort} onChange={(e) => setFilters({ sort: e.target.value as ReleaseSort })}>
            {Object.entries(SORTS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field release-list__search">
          <label htmlFor={ids.text}>Search</label>
          <input
            id={ids.text}
            className="input"
            type="search"
            placeholder="Name, version, ticket, service"
            value={filters.text}
            onChange={(e) => setFilters({ text: e.target.value })}
          />
        </div>
      </div>

      {problem && (
        <p className="notice notice--danger" role="alert">
          The releases could not be loaded: {problem.message}
        </p>
      )}
      {list === null && !problem && <p role="status">Loading releases…</p>}
      {list !== null && list.length === 0 && (
        <div className="panel release-list__none" role="status">
          <p>No releases match these filters.</p>
          <button type="button" className="button" onClick={() => setFilters({ status: '', type: '', text: '' })}>
            Clear the filters
          </button>
        </div>
      )}
      {list !== null && list.length > 0 && <ReleaseTable list={list} onOpen={open} />}
    </SectionPage>
  );
}

function ReleaseTable({ list, onOpen }: { list: ReleaseSummary[]; onOpen(id: string): void }) {
  return (
    <div className="table-frame">
      <table className="data-table release-table">
        <caption className="visually-hidden">Releases ({list.length})</caption>
        <thead>
          <tr>
            <th scope="col">Release</th>
            <th scope="col">Status</th>
            <th scope="col">Type</th>
            <th scope="col">Window</th>
            <th scope="col">Owner</th>
          </tr>
        </thead>
        <tbody>
          {list.map((r) => {
            const window = r.window ? windowText(r.window) : null;
            return (
              <tr key={r.id} data-testid="release-row">
                <th scope="row">
                  <a
                    href={`#releases/${encodeURIComponent(r.id)}`}
                    className="release-table__name"
                    onClick={(e) => {
                      e.preventDefault();
                      onOpen(r.id);
                    }}
                  >
                    {r.name}
                  </a>
                  <span className="release-table__sub">
                    {r.version && <span className="mono">{r.version}</span>}
                    {r.services.length > 0 && <span> · {r.services.join(', ')}</span>}
                    {r.environment && <span> · {r.environment}</span>}
                  </span>
                </th>
                <td>
                  <span className={`badge badge--${STATUS_TONES[r.status]}`}>{statusText(r.statusLabel)}</span>
                </td>
                <td>
                  {TYPE_LABELS[r.type] ?? r.type}
                  {r.conflicts.length > 0 && (
                    <span className="badge badge--warn release-table__conflict" title={`Concurrent edits to: ${r.conflicts.join(', ')}`}>
                      conflict
                    </span>
                  )}
                </td>
                <td>
                  {window ? (
                    <>
                      {window.here}
                      {window.there && (
                        <span className="release-table__sub">
                          {window.there} ({window.zone})
                        </span>
                      )}
                    </>
                  ) : (
                    <span className="release-table__faint">No window yet</span>
                  )}
                </td>
                <td>{r.ownerName ?? <span className="release-table__faint">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
