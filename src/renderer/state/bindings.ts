// Wires the store to the world outside React: the client's change notices and connection,
// the browser's online state, native menu commands, the URL hash and the document theme.
// Returns one function that undoes all of it.
import { SECTIONS, type MenuCommand, type SectionId } from '../../shared/api/bridge.ts';
import type { ApiClient } from '../api/client.ts';
import { sectionLabel } from '../shell/section-meta.ts';
import type { AppStore } from './store.ts';

/** How long the change stream may take to open before we call the core unreachable. */
const CONNECT_GRACE_MS = 5_000;

/** `#releases/r-1/run/x` → section `releases`, view `r-1/run/x`. */
export function routeFromHash(hash: string): { section: SectionId; view: string } | undefined {
  const path = hash.replace(/^#\/?/, '');
  const slash = path.indexOf('/');
  const id = slash < 0 ? path : path.slice(0, slash);
  if (!(SECTIONS as readonly string[]).includes(id)) return undefined;
  const view = slash < 0 ? '' : path.slice(slash + 1).replace(/\/+$/, '');
  return { section: id as SectionId, view };
}

export function sectionFromHash(hash: string): SectionId | undefined {
  return routeFromHash(hash)?.section;
}

export function hashFor(section: SectionId, view: string): string {
  return view ? `#${section}/${view}` : `#${section}`;
}

export function bindStore(store: AppStore, client: ApiClient, win: Window): () => void {
  const undo: Array<() => void> = [];
  const state = () => store.getState();

  // A profile or sync change anywhere (another window, the CLI) changes what app.info says.
  undo.push(
    client.subscribe((notice) => {
      if (notice.topic === 'profile' || notice.topic === 'sync') void state().loadInfo();
      if (notice.topic === 'events') {
        state().noteEventsRecorded(notice.count);
        const kinds = new Set(notice.entities.map((e) => e.kind));
        state().releasesChanged(kinds);
        state().runbooksChanged(kinds, new Set(notice.entities.map((e) => e.id)));
      }
    }),
  );

  // The client reports the first stream failure; the timer covers a stream that neither opens
  // nor fails (a proxy holding the request).
  const grace = win.setTimeout(() => {
    if (state().connection.core === 'connecting') state().setCoreLink('unreachable');
  }, CONNECT_GRACE_MS);
  undo.push(() => win.clearTimeout(grace));
  undo.push(
    client.onConnection((connected) => {
      if (connected) {
        const wasLost = state().connection.core === 'unreachable';
        state().setCoreLink('connected');
        // Back after an outage: whatever changed meanwhile was not pushed to us.
        if (wasLost) void state().loadInfo();
      } else {
        state().setCoreLink('unreachable');
      }
    }),
  );

  const onOnline = () => state().setNetworkOnline(true);
  const onOffline = () => state().setNetworkOnline(false);
  win.addEventListener('online', onOnline);
  win.addEventListener('offline', onOffline);
  undo.push(() => {
    win.removeEventListener('online', onOnline);
    win.removeEventListener('offline', onOffline);
  });

  undo.push(client.onMenuCommand((command) => runMenuCommand(store, command)));

  // The hash names the open section, so a wall display can be pointed at `…/#timeline`.
  const onHashChange = () => {
    const route = routeFromHash(win.location.hash);
    if (route) state().navigate(route.section, { view: route.view });
  };
  win.addEventListener('hashchange', onHashChange);
  undo.push(() => win.removeEventListener('hashchange', onHashChange));

  const root = win.document.documentElement;
  const reflect = () => {
    const { theme, section, view, profile } = state();
    if (root.dataset.theme !== theme) root.dataset.theme = theme;
    const wanted = hashFor(section, view);
    if (profile && win.location.hash !== wanted) {
      win.history.replaceState(null, '', wanted);
    }
    const title = profile ? `${sectionLabel(section)} — Release War Room` : 'Release War Room';
    if (win.document.title !== title) win.document.title = title;
  };
  reflect();
  undo.push(store.subscribe(reflect));

  return () => {
    for (const fn of undo.reverse()) fn();
  };
}

export function runMenuCommand(store: AppStore, command: MenuCommand): void {
  const state = store.getState();
  if (command === 'theme:toggle') return state.toggleTheme();
  if (command === 'help:shortcuts') return state.openShortcuts();
  const section = command.slice('navigate:'.length);
  if ((SECTIONS as readonly string[]).includes(section)) {
    state.navigate(section as SectionId, { focusHeading: true });
  }
}
