// The frame around every section: skip link, brand, section navigation, theme and shortcut
// controls, the open section, the status bar and the shortcuts overlay.
import { useEffect, useRef, type MouseEvent } from 'react';
import { BrandMark, KeyboardIcon, MoonIcon, SunIcon, WarningIcon } from '../components/icons.tsx';
import { SECTION_HEADING_ID } from '../components/SectionPage.tsx';
import { AlertBanner } from '../features/metrics/index.ts';
import { useApp } from '../state/context.tsx';
import { MOD_LABEL } from './keys.ts';
import { SectionNav } from './SectionNav.tsx';
import { SECTION_PARTS } from './sections.tsx';
import { ShortcutsDialog } from './ShortcutsDialog.tsx';
import { StatusBar } from './StatusBar.tsx';
import { useGlobalShortcuts } from './useGlobalShortcuts.ts';
import './shell.css';

export function Shell() {
  const section = useApp((s) => s.section);
  const theme = useApp((s) => s.theme);
  const toggleTheme = useApp((s) => s.toggleTheme);
  const openShortcuts = useApp((s) => s.openShortcuts);
  const headingFocusRequest = useApp((s) => s.headingFocusRequest);
  const coreUnreachable = useApp((s) => s.connection.core === 'unreachable');
  const main = useRef<HTMLElement>(null);
  useGlobalShortcuts();

  // A keyboard or menu jump moves focus to the new section's heading, so the next Tab starts
  // there and a screen reader announces where you are.
  useEffect(() => {
    if (headingFocusRequest === 0) return;
    document.getElementById(SECTION_HEADING_ID)?.focus();
  }, [headingFocusRequest]);

  // The hash is the router, so the skip link focuses <main> itself instead of following #main.
  const skipToContent = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    main.current?.focus();
  };

  const { View } = SECTION_PARTS[section];
  const nextTheme = theme === 'dark' ? 'light' : 'dark';

  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={skipToContent}>
        Skip to content
      </a>
      <div className="shell__sidebar">
        <header className="brand">
          <span className="brand__mark">
            <BrandMark size={26} />
          </span>
          <span className="brand__name">Release War Room</span>
        </header>
        <SectionNav />
        <div className="shell__tools">
          <button
            type="button"
            className="button button--quiet shell__tool"
            onClick={toggleTheme}
            aria-keyshortcuts="Control+Shift+L"
            aria-label={`Switch to ${nextTheme} theme`}
            title={`Switch to the ${nextTheme} theme (${MOD_LABEL}+Shift+L)`}
          >
            {nextTheme === 'light' ? <SunIcon /> : <MoonIcon />}
            {nextTheme === 'light' ? 'Light theme' : 'Dark theme'}
          </button>
          <button
            type="button"
            className="button button--quiet shell__tool"
            onClick={openShortcuts}
            aria-keyshortcuts="?"
            title="Keyboard shortcuts (?)"
          >
            <KeyboardIcon />
            Shortcuts <kbd aria-hidden="true">?</kbd>
          </button>
        </div>
      </div>
      <main id="main" className="shell__main" ref={main} tabIndex={-1}>
        {coreUnreachable && (
          <div className="banner banner--danger" role="alert">
            <WarningIcon />
            <div>
              <strong>Core unreachable.</strong> The War Room core is not answering, so changes cannot be saved or
              received. This page reconnects by itself; if you use a browser, check that <code>warroom serve</code> is
              still running.
            </div>
          </div>
        )}
        <AlertBanner />
        <View />
      </main>
      <StatusBar />
      <ShortcutsDialog />
    </div>
  );
}
