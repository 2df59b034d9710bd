// The pages of the Releases section as paths after `#releases/`: the list, a new release, a
// release, its edit form and one of its runbook runs.
export type ReleasesRoute =
  | { page: 'list' }
  | { page: 'new' }
  | { page: 'release'; id: string }
  | { page: 'edit'; id: string }
  | { page: 'run'; id: string; run: string };

export function parseReleasesView(view: string): ReleasesRoute {
  const parts = view.split('/').filter(Boolean).map(decodeURIComponent);
  const [id, what, run] = parts;
  if (!id) return { page: 'list' };
  if (id === 'new' && parts.length === 1) return { page: 'new' };
  if (what === 'edit') return { page: 'edit', id };
  if (what === 'run' && run) return { page: 'run', id, run };
  return { page: 'release', id };
}

export function releasesView(route: ReleasesRoute): string {
  switch (route.page) {
    case 'list':
      return '';
    case 'new':
      return 'new';
    case 'release':
      return encodeURIComponent(route.id);
    case 'edit':
      return `${encodeURIComponent(route.id)}/edit`;
    case 'run':
      return `${encodeURIComponent(route.id)}/run/${encodeURIComponent(route.run)}`;
  }
}
