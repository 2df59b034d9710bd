// Platform-aware keyboard helpers: ⌘ on macOS, Ctrl elsewhere (both accepted everywhere, so
// a Mac keyboard on a Linux wall-display box still works).
import { SECTIONS, type SectionId } from '../../shared/api/bridge.ts';

export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/i.test(navigator.platform);

/** The modifier's label as printed on the key. */
export const MOD_LABEL = IS_MAC ? '⌘' : 'Ctrl';
/** The modifier's name for aria-keyshortcuts. */
export const MOD_ARIA = IS_MAC ? 'Meta' : 'Control';

/** The in-page alternative's label: Option on a Mac keyboard, Alt elsewhere. */
export const ALT_LABEL = IS_MAC ? '⌥' : 'Alt';

/**
 * Ctrl/⌘ + digit or Alt/Option + digit → section. A browser keeps Ctrl/⌘ + digit for its own
 * tabs, so a page served by `warroom serve` never sees it; Alt + digit reaches the page. Both
 * modifiers at once is AltGr on many layouts (typing a character), never a section jump.
 * `code` comes first: Option + digit on a Mac yields a symbol in `key`, and some layouts need
 * Shift for digits.
 */
export function sectionForShortcut(event: KeyboardEvent): SectionId | undefined {
  const mod = event.ctrlKey || event.metaKey;
  if (mod === event.altKey || event.shiftKey) return undefined;
  const digit = /^(?:Digit|Numpad)([1-9])$/.exec(event.code)?.[1] ?? /^[1-9]$/.exec(event.key)?.[0];
  if (!digit) return undefined;
  return SECTIONS[Number(digit) - 1];
}

/** How long after `g` a digit still counts as "go to section N". */
export const GO_SEQUENCE_MS = 1500;

/**
 * `g` then a digit opens a section: no modifier at all, so no browser claims it (Chrome and
 * Firefox on Linux take Alt + digit for their tabs too, which is what a wall display runs).
 * Returns a reader that is fed every keydown; it answers 'armed' after `g`, the section after
 * the digit, and undefined otherwise. Keys typed into fields never count.
 */
export function createGoSequence(): (event: KeyboardEvent, now: number) => SectionId | 'armed' | undefined {
  let armedAt: number | null = null;
  return (event, now) => {
    if (event.ctrlKey || event.metaKey || event.altKey || isTextEntry(event.target)) {
      armedAt = null;
      return undefined;
    }
    if (armedAt !== null && now - armedAt <= GO_SEQUENCE_MS) {
      armedAt = null;
      const digit = /^(?:Digit|Numpad)([1-9])$/.exec(event.code)?.[1] ?? /^[1-9]$/.exec(event.key)?.[0];
      return digit ? SECTIONS[Number(digit) - 1] : undefined;
    }
    armedAt = event.key === 'g' && !event.shiftKey ? now : null;
    return armedAt === null ? undefined : 'armed';
  };
}

/**
 * The section shortcut to show first: inside Electron the menu's Ctrl/⌘ + digit; in a browser
 * the Alt + digit that actually reaches the page.
 */
export function primarySectionModifier(transport: 'ipc' | 'http'): { label: string; other: string } {
  return transport === 'ipc' ? { label: MOD_LABEL, other: ALT_LABEL } : { label: ALT_LABEL, other: MOD_LABEL };
}

/** Both section shortcuts for aria-keyshortcuts (space-separated alternatives). */
export function sectionKeyShortcuts(position: number): string {
  return `${MOD_ARIA}+${position} Alt+${position}`;
}

/** "Ctrl+3" or "⌘3": the Mac convention writes its symbols without a plus. */
export function comboText(modifier: string, key: string | number): string {
  return modifier.length > 1 ? `${modifier}+${key}` : `${modifier}${key}`;
}

export function isThemeShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.code === 'KeyL';
}

/** Typing a `?` into a field is text, not a request for help. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  }
  return false;
}
