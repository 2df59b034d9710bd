// The Electron shell's security decisions that can be checked without Electron itself.
import { describe, expect, it } from 'vitest';
import { secureWebPreferences } from '../../src/main/electron/web-preferences.ts';

describe('window defaults', () => {
  it('isolate and sandbox the renderer, with no Node integration anywhere', () => {
    expect(secureWebPreferences('/x/preload.cjs')).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });
});

describe('URL rules', () => {
  it('trusts only frames of the app:// origin', async () => {
    const { isTrustedFrameUrl } = await import('../../src/main/electron/urls.ts');
    expect(isTrustedFrameUrl('app://warroom/index.html')).toBe(true);
    expect(isTrustedFrameUrl('app://warroom')).toBe(true);
    expect(isTrustedFrameUrl('app://warroom.evil/index.html')).toBe(false);
    expect(isTrustedFrameUrl('https://warroom/')).toBe(false);
    expect(isTrustedFrameUrl('file:///etc/passwd')).toBe(false);
  });

  it('hands only plain web links to the browser', async () => {
    const { isSafeExternalUrl } = await import('../../src/main/electron/urls.ts');
    expect(isSafeExternalUrl('https://prometheus.example/graph')).toBe(true);
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x', 'https://user:pw@host/', 'not a url']) {
      expect(isSafeExternalUrl(bad), bad).toBe(false);
    }
  });
});
