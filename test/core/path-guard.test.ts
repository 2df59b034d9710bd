// T19: the database path guard, as a pure function over injected file-system types, paths and
// environment — plus the real check refusing to open a store in a Syncthing folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeDataPath, type PathFacts } from '../../src/main/core/store/path-guard.ts';
import { openStore } from '../../src/main/core/store/index.ts';
import { open, tempDir } from './helpers.ts';

const EXT4 = 0xef53;
const TMPFS = 0x01021994;

const linux = (path: string, more: Partial<PathFacts> = {}): PathFacts => ({
  path,
  platform: 'linux',
  fsType: EXT4,
  env: {},
  home: '/home/ann',
  dropboxInfo: null,
  markers: [],
  ...more,
});

const windows = (path: string, more: Partial<PathFacts> = {}): PathFacts => ({
  path,
  platform: 'win32',
  fsType: null,
  env: { APPDATA: 'C:\\Users\\Ann\\AppData\\Roaming' },
  home: 'C:\\Users\\Ann',
  dropboxInfo: null,
  markers: [],
  ...more,
});

const mac = (path: string, more: Partial<PathFacts> = {}): PathFacts => ({
  path,
  platform: 'darwin',
  fsType: null,
  env: {},
  home: '/Users/ann',
  dropboxInfo: null,
  markers: [],
  ...more,
});

describe('T19: database path guard', () => {
  it('accepts local folders', () => {
    for (const facts of [
      linux('/home/ann/.config/Release War Room'),
      linux('/tmp/warroom', { fsType: TMPFS }),
      windows('C:\\Users\\Ann\\AppData\\Roaming\\Release War Room'),
      windows('\\\\?\\C:\\Users\\Ann\\AppData\\Roaming\\Release War Room'),
      mac('/Users/ann/Library/Application Support/Release War Room'),
    ]) {
      expect(judgeDataPath(facts), facts.path).toEqual({ verdict: 'ok', reasons: [] });
    }
  });

  it('refuses network file systems, naming them', () => {
    const cases: [number, RegExp][] = [
      [0x6969, /NFS/],
      [0x517b, /SMB/],
      [0xff534d42, /SMB\/CIFS/],
      [0xfe534d42, /SMB2/],
      [0x00c36400, /Ceph/],
    ];
    for (const [fsType, name] of cases) {
      const verdict = judgeDataPath(linux('/mnt/share/warroom', { fsType }));
      expect(verdict.verdict).toBe('refuse');
      expect(verdict.reasons.join(' ')).toMatch(name);
    }
  });

  it('warns (does not refuse) on FUSE and 9p, which may or may not be local', () => {
    expect(judgeDataPath(linux('/home/ann/gdrive/wr', { fsType: 0x65735546 }))).toMatchObject({ verdict: 'warn', reasons: [expect.stringMatching(/FUSE/)] });
    expect(judgeDataPath(linux('/mnt/c/Users/ann/wr', { fsType: 0x01021997 }))).toMatchObject({ verdict: 'warn', reasons: [expect.stringMatching(/9p/)] });
  });

  it('refuses UNC paths on Windows', () => {
    for (const path of ['\\\\fileserver\\releases\\warroom', '//fileserver/releases/warroom', '\\\\?\\UNC\\fileserver\\releases']) {
      expect(judgeDataPath(windows(path))).toMatchObject({ verdict: 'refuse', reasons: [expect.stringMatching(/UNC/)] });
    }
  });

  it('refuses OneDrive roots from the environment, case-insensitively on Windows', () => {
    const env = { OneDrive: 'C:\\Users\\Ann\\OneDrive', OneDriveCommercial: 'C:\\Users\\Ann\\OneDrive - Contoso' };
    expect(judgeDataPath(windows('c:\\users\\ann\\onedrive\\Documents\\wr', { env })).verdict).toBe('refuse');
    expect(judgeDataPath(windows('C:\\Users\\Ann\\OneDrive - Contoso\\wr', { env })).reasons.join(' ')).toMatch(/OneDrive/);
    // A sibling that merely starts with the same letters is not inside it.
    expect(judgeDataPath(windows('C:\\Users\\Ann\\OneDriveBackup\\wr', { env: { OneDrive: 'C:\\Users\\Ann\\OneDrive' } })).verdict).toBe('ok');
  });

  it('refuses Dropbox roots listed in its info.json, and Dropbox/Syncthing/Resilio marker folders', () => {
    const info = JSON.stringify({ personal: { path: '/home/ann/Work Box' }, business: { path: '/srv/teambox' } });
    expect(judgeDataPath(linux('/home/ann/Work Box/wr', { dropboxInfo: info })).reasons).toEqual(['it is inside Dropbox (/home/ann/Work Box)']);
    expect(judgeDataPath(linux('/srv/teambox/a/b', { dropboxInfo: info })).verdict).toBe('refuse');
    expect(judgeDataPath(linux('/srv/other', { dropboxInfo: info })).verdict).toBe('ok');
    expect(judgeDataPath(linux('/home/ann/wr', { dropboxInfo: 'not json' })).verdict).toBe('ok');
    expect(judgeDataPath(linux('/data/sync/wr', { markers: [{ name: '.stfolder', dir: '/data/sync' }] })).reasons).toEqual([
      'it is inside a Syncthing-synced folder (/data/sync has .stfolder)',
    ]);
    expect(judgeDataPath(linux('/data/rs/wr', { markers: [{ name: '.sync', dir: '/data/rs' }] })).verdict).toBe('refuse');
  });

  it('refuses iCloud Drive and ~/Library/CloudStorage on macOS, and well-known cloud folder names', () => {
    expect(judgeDataPath(mac('/Users/ann/Library/Mobile Documents/com~apple~CloudDocs/wr')).reasons).toContain('it is inside iCloud Drive');
    expect(judgeDataPath(mac('/Users/Ann/library/cloudstorage/GoogleDrive-ann@example.com/My Drive/wr')).verdict).toBe('refuse');
    expect(judgeDataPath(windows('G:\\My Drive\\wr')).reasons.join(' ')).toMatch(/Google Drive/);
    expect(judgeDataPath(linux('/home/ann/Dropbox/wr')).reasons.join(' ')).toMatch(/Dropbox/);
    expect(judgeDataPath(windows('C:\\Users\\Ann\\iCloudDrive\\wr')).reasons.join(' ')).toMatch(/iCloud/);
  });

  it('is what openStore applies: a Syncthing folder is refused with the reason, unless explicitly allowed', () => {
    const root = tempDir();
    writeFileSync(join(root, '.stfolder'), '');
    const dataDir = join(root, 'nested', 'wr');
    mkdirSync(dataDir, { recursive: true });
    expect(() => openStore({ dataDir, log: () => {} })).toThrow(/not on a local disk: it is inside a Syncthing-synced folder .*--data-dir/);
    const allowed = open({ dataDir, allowUnsafeLocation: true });
    expect(allowed.warnings).toEqual([expect.stringMatching(/Syncthing/)]);
  });
});
