// The `warroom` command line, run in-process with captured output.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { defaultDataDir, resolveDataDir } from '../../src/main/core/data-dir.ts';
import { APP_VERSION } from '../../src/main/core/version.ts';
import { tempDir } from '../helpers/tmp.ts';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('warroom CLI', () => {
  it('prints its version', async () => {
    const r = await cli('--version');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(APP_VERSION);
  });

  it('lists its commands and the --data-dir option in --help', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/serve/);
    expect(r.out).toMatch(/--data-dir/);
  });

  it('refuses to serve on the network without a token, in one line and exit code 2', async () => {
    const r = await cli('serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', tempDir());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^warroom: Refusing to listen on 0\.0\.0\.0 without --token/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('rejects a bad port with a message that names it', async () => {
    const r = await cli('serve', '--port', 'eighty', '--data-dir', tempDir());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--port must be a whole number/);
  });

  it('fails clearly on an unknown command', async () => {
    const r = await cli('launch-missiles');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/unknown command 'launch-missiles'/);
  });
});

describe('data folder', () => {
  it('defaults to the folder Electron uses as userData on each OS', () => {
    expect(defaultDataDir({ platform: 'linux', env: {}, home: '/home/ada' })).toBe('/home/ada/.config/Release War Room');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, home: '/home/ada' })).toBe('/cfg/Release War Room');
    expect(defaultDataDir({ platform: 'darwin', env: {}, home: '/Users/ada' })).toBe('/Users/ada/Library/Application Support/Release War Room');
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, home: 'C:\\Users\\ada' })).toMatch(
      /Roaming.Release War Room$/,
    );
  });

  it('takes --data-dir over WARROOM_DATA_DIR over the default', () => {
    expect(resolveDataDir('/flag', { WARROOM_DATA_DIR: '/env' })).toBe('/flag');
    expect(resolveDataDir(undefined, { WARROOM_DATA_DIR: '/env' })).toBe('/env');
    expect(resolveDataDir(undefined, {})).toBe(defaultDataDir());
  });
});
