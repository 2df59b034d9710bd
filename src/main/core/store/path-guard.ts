// Where the database may live. SQLite's locking and WAL need a local disk: on a network share
// locks lie, and a cloud-sync client copies the file mid-write and "resolves" conflicts by
// duplicating it. `judgeDataPath` is pure (facts in, verdict out) so every case is testable;
// `enforceDataPath` gathers the facts from this machine.
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';
import { StoreOpenError } from './open.ts';

export interface PathFacts {
  /** The data folder, absolute. */
  path: string;
  platform: NodeJS.Platform;
  /** statfs f_type of the folder (Linux magic numbers); null when unknown. */
  fsType: number | null;
  env: Record<string, string | undefined>;
  home: string;
  /** Contents of Dropbox's info.json, which lists its synced roots, when present. */
  dropboxInfo: string | null;
  /** Marker names found in the folder or one of its ancestors ('.stfolder', '.dropbox', …), with where. */
  markers: { name: string; dir: string }[];
}

export type PathVerdict = { verdict: 'ok' | 'warn' | 'refuse'; reasons: string[] };

const REFUSED_FS: Record<number, string> = {
  0x6969: 'an NFS network share',
  0x517b: 'an SMB network share',
  0xff534d42: 'an SMB/CIFS network share',
  0xfe534d42: 'an SMB2 network share',
  0x5346414f: 'an AFS network file system',
  0x73757245: 'a Coda network file system',
  0x00c36400: 'a Ceph network file system',
  0x0bd00bd0: 'a Lustre network file system',
};

const WARNED_FS: Record<number, string> = {
  0x65735546: 'a FUSE file system (sshfs, rclone and cloud drives use FUSE; a local encrypted folder is fine)',
  0x01021997: 'a 9p file system (WSL’s view of Windows drives), whose file locking SQLite cannot rely on',
};

const MARKERS: Record<string, string> = {
  '.stfolder': 'a Syncthing-synced folder',
  '.dropbox': 'a Dropbox folder',
  '.dropbox.cache': 'a Dropbox folder',
  '.sync': 'a Resilio Sync folder',
};

const CLOUD_SEGMENTS: [RegExp, string][] = [
  [/^(google drive|googledrive(-.*)?|my drive)$/i, 'a Google Drive folder'],
  [/^(icloud ?drive|iclouddrive|mobile documents)$/i, 'an iCloud Drive folder'],
  [/^onedrive( - .*)?$/i, 'a OneDrive folder'],
  [/^dropbox( \(.*\))?$/i, 'a Dropbox folder'],
];

export function judgeDataPath(facts: PathFacts): PathVerdict {
  const path = facts.platform === 'win32' ? win32 : posix;
  const insensitive = facts.platform === 'win32' || facts.platform === 'darwin';
  const norm = (p: string) => {
    const resolved = path.resolve(p);
    return insensitive ? resolved.toLowerCase() : resolved;
  };
  const target = norm(facts.path);
  const under = (root: string | undefined) => {
    if (!root || !root.trim()) return false;
    const base = norm(root);
    return target === base || target.startsWith(base.endsWith(path.sep) ? base : base + path.sep);
  };
  const refuse: string[] = [];
  const warn: string[] = [];

  if (facts.platform === 'win32' && /^(\\\\|\/\/)(?![?.][\\/])/.test(facts.path)) refuse.push('it is a network path (UNC \\\\server\\share)');
  if (facts.platform === 'win32' && /^\\\\\?\\UNC\\/i.test(facts.path)) refuse.push('it is a network path (UNC \\\\server\\share)');
  if (facts.fsType !== null && REFUSED_FS[facts.fsType]) refuse.push(`it is on ${REFUSED_FS[facts.fsType]}`);
  if (facts.fsType !== null && WARNED_FS[facts.fsType]) warn.push(`it is on ${WARNED_FS[facts.fsType]}`);

  for (const name of ['OneDrive', 'OneDriveConsumer', 'OneDriveCommercial']) {
    if (under(facts.env[name])) refuse.push(`it is inside OneDrive (${facts.env[name]})`);
  }
  for (const root of dropboxRoots(facts.dropboxInfo)) {
    if (under(root)) refuse.push(`it is inside Dropbox (${root})`);
  }
  if (facts.platform === 'darwin') {
    if (under(posix.join(facts.home, 'Library', 'Mobile Documents'))) refuse.push('it is inside iCloud Drive');
    if (under(posix.join(facts.home, 'Library', 'CloudStorage'))) refuse.push('it is inside a cloud-storage folder (~/Library/CloudStorage)');
  }
  for (const marker of facts.markers) {
    const what = MARKERS[marker.name];
    if (what) refuse.push(`it is inside ${what} (${marker.dir} has ${marker.name})`);
  }
  const relativeToHome = under(facts.home) ? path.relative(path.resolve(facts.home), path.resolve(facts.path)) : path.resolve(facts.path);
  for (const segment of relativeToHome.split(/[\\/]/)) {
    for (const [pattern, what] of CLOUD_SEGMENTS) {
      if (pattern.test(segment)) refuse.push(`it looks like ${what} ("${segment}")`);
    }
  }
  const reasons = [...new Set([...refuse, ...warn])];
  return { verdict: refuse.length > 0 ? 'refuse' : warn.length > 0 ? 'warn' : 'ok', reasons };
}

function dropboxRoots(info: string | null): string[] {
  if (!info) return [];
  try {
    const parsed = JSON.parse(info) as Record<string, { path?: unknown } | undefined>;
    return Object.values(parsed)
      .map((account) => account?.path)
      .filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}

/** Gathers the facts for `dataDir` and refuses unsafe places unless `allow` is set; returns warnings. */
export function enforceDataPath(dataDir: string, allow: boolean): string[] {
  const verdict = judgeDataPath(gatherPathFacts(dataDir));
  if (verdict.verdict === 'refuse' && !allow) {
    throw new StoreOpenError(
      `The data folder ${dataDir} is not on a local disk: ${verdict.reasons.join('; ')}. ` +
        'The database must live on a local disk (sync shares events through a shared folder, never the database). ' +
        'Choose another folder with --data-dir or WARROOM_DATA_DIR.',
    );
  }
  return verdict.verdict === 'ok' ? [] : verdict.reasons;
}

export function gatherPathFacts(dataDir: string, env: Record<string, string | undefined> = process.env): PathFacts {
  const home = homedir();
  let fsType: number | null = null;
  if (process.platform === 'linux') {
    try {
      fsType = Number(statfsSync(dataDir).type);
    } catch {
      fsType = null;
    }
  }
  const infoCandidates = [
    posix.join(home, '.dropbox', 'info.json'),
    ...(env.LOCALAPPDATA ? [win32.join(env.LOCALAPPDATA, 'Dropbox', 'info.json')] : []),
    ...(env.APPDATA ? [win32.join(env.APPDATA, 'Dropbox', 'info.json')] : []),
  ];
  const infoFile = infoCandidates.find((p) => existsSync(p));
  const markers: PathFacts['markers'] = [];
  const path = process.platform === 'win32' ? win32 : posix;
  for (let dir = path.resolve(dataDir); ; dir = path.dirname(dir)) {
    // The home folder itself holds ~/.dropbox (Dropbox's settings), which is not a synced root.
    if (dir !== path.resolve(home)) {
      for (const name of Object.keys(MARKERS)) if (existsSync(path.join(dir, name))) markers.push({ name, dir });
    }
    if (path.dirname(dir) === dir) break;
  }
  return {
    path: dataDir,
    platform: process.platform,
    fsType,
    env,
    home,
    dropboxInfo: infoFile ? safeRead(infoFile) : null,
    markers,
  };
}

function safeRead(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
