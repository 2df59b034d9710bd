// Keyboard shortcuts that work anywhere in the shell. Inside Electron the application menu
// owns the same accelerators and sends menu commands instead; navigating and opening the
// overlay are idempotent, and the theme toggle is left to the menu there so it never flips twice.
import { useEffect, useRef } from 'react';
import { useApp, useClient } from '../state/context.tsx';
import { createGoSequence, isTextEntry, isThemeShortcut, sectionForShortcut } from './keys.ts';

export function useGlobalShortcuts(): void {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const toggleTheme = useApp((s) => s.toggleTheme);
  const openShortcuts = useApp((s) => s.openShortcuts);
  const closeShortcuts = useApp((s) => s.closeShortcuts);
  const shortcutsOpen = useApp((s) => s.shortcutsOpen);
  const goSequence = useRef(createGoSequence());

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const step = goSequence.current(event, event.timeStamp);
      const section = sectionForShortcut(event) ?? (step === 'armed' ? undefined : step);
      if (section) {
        event.preventDefault();
        if (shortcutsOpen) closeShortcuts();
        navigate(section, { focusHeading: true });
        return;
      }
      if (isThemeShortcut(event)) {
        if (client.transport === 'ipc') return;
        event.preventDefault();
        toggleTheme();
        return;
      }
      if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTextEntry(event.target)) {
        event.preventDefault();
        if (shortcutsOpen) closeShortcuts();
        else openShortcuts();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [client, navigate, toggleTheme, openShortcuts, closeShortcuts, shortcutsOpen]);
}
