// Which URLs the window trusts and which may be handed to the user's browser (no electron
// import, so these rules are tested under plain Node).
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://warroom`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export function isTrustedFrameUrl(url: string): boolean {
  return url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
}

/** Only plain web links leave the app (no file:, javascript:, custom protocols or credentials). */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
