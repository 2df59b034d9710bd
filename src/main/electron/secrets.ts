// Secrets (Prometheus tokens, webhook URLs) encrypted with the OS keychain via safeStorage and
// kept in an owner-only file in userData — never in the database or the shared folder in clear.
import { safeStorage } from 'electron';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SecretStore } from '../core/secrets.ts';

const secretsFile = z.record(z.string(), z.string());

export class SecretStoreError extends Error {}

export function openSecretStore(userData: string): SecretStore {
  const file = join(userData, 'secrets.json');

  const read = (): Record<string, string> => {
    try {
      const parsed = secretsFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  };
  const write = (all: Record<string, string>) => {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  };
  const requireEncryption = () => {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new SecretStoreError(
        'The operating system keychain is not available, so secrets cannot be stored safely (on Linux, install and unlock a Secret Service keyring such as GNOME Keyring or KWallet).',
      );
    }
    // On Linux without a keyring Electron falls back to a fixed key: that is clear text in disguise.
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      throw new SecretStoreError('No keyring is unlocked (Electron would use a hard-coded key); unlock your keyring and try again.');
    }
  };

  return {
    get(name) {
      const stored = read()[name];
      if (stored === undefined) return null;
      requireEncryption();
      return safeStorage.decryptString(Buffer.from(stored, 'base64'));
    },
    set(name, value) {
      requireEncryption();
      write({ ...read(), [name]: safeStorage.encryptString(value).toString('base64') });
    },
    delete(name) {
      const all = read();
      delete all[name];
      write(all);
    },
    names: () => Object.keys(read()),
  };
}
