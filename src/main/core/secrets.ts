// Where the core finds secrets (Prometheus tokens and passwords): the OS keychain in Electron
// (safeStorage, see src/main/electron/secrets.ts), nothing in `serve` and the CLI, where sources
// name an environment variable instead. Secrets never enter the database or the shared folder.
export interface SecretStore {
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
  names(): string[];
}

/** The keychain entry of a metric source's token or password. */
export const sourceSecretName = (source: string) => `metrics.source.${source}`;
