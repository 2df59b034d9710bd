// UI slice: which section is open, the colour theme (remembered per machine) and the
// shortcuts overlay. No API calls here.
import type { StateCreator } from 'zustand/vanilla';
import type { SectionId } from '../../shared/api/bridge.ts';
import type { AppState, StoreDeps } from './store.ts';

export type Theme = 'dark' | 'light';

export const THEME_KEY = 'warroom.theme';

export interface NavigateOptions {
  /** Move focus to the section's heading (keyboard shortcut or menu, not a click in the nav). */
  focusHeading?: boolean;
  /**
   * A page inside the section, as a path (`<release id>/run/<run id>`); '' is the section's
   * own page. It is part of the address, so a reload comes back to the same page.
   */
  view?: string;
}

export interface UiSlice {
  section: SectionId;
  /** The page inside the section ('' for its home page); see NavigateOptions.view. */
  view: string;
  theme: Theme;
  shortcutsOpen: boolean;
  /** Bumped each time a jump asks for the heading to take focus; the shell watches it. */
  headingFocusRequest: number;
  navigate(section: SectionId, options?: NavigateOptions): void;
  setTheme(theme: Theme): void;
  toggleTheme(): void;
  openShortcuts(): void;
  closeShortcuts(): void;
}

export function readTheme(stored: string | null): Theme {
  // Dark unless the person chose light: the room is dim and the screen is big.
  return stored === 'light' ? 'light' : 'dark';
}

export function createUiSlice(deps: StoreDeps): StateCreator<AppState, [], [], UiSlice> {
  return (set, get) => ({
    section: deps.initialSection ?? 'releases',
    view: deps.initialView ?? '',
    theme: readTheme(deps.prefs.get(THEME_KEY)),
    shortcutsOpen: false,
    headingFocusRequest: 0,

    navigate(section, options = {}) {
      const focus = options.focusHeading === true;
      const view = options.view ?? '';
      if (section === get().section && view === get().view && !focus) return;
      set({
        section,
        view,
        headingFocusRequest: focus ? get().headingFocusRequest + 1 : get().headingFocusRequest,
      });
    },

    setTheme(theme) {
      set({ theme });
      deps.prefs.set(THEME_KEY, theme);
    },

    toggleTheme() {
      get().setTheme(get().theme === 'dark' ? 'light' : 'dark');
    },

    openShortcuts: () => set({ shortcutsOpen: true }),
    closeShortcuts: () => set({ shortcutsOpen: false }),
  });
}
