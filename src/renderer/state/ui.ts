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
}

export interface UiSlice {
  section: SectionId;
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
    theme: readTheme(deps.prefs.get(THEME_KEY)),
    shortcutsOpen: false,
    headingFocusRequest: 0,

    navigate(section, options = {}) {
      const focus = options.focusHeading === true;
      if (section === get().section && !focus) return;
      set({
        section,
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
