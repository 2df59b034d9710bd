// Who may talk to `serve`: loopback by default; on any other address a token is mandatory and
// grants read-only access unless it is the write token (DESIGN §5). Pure, so it is tested alone.
import { isIP } from 'node:net';

export interface AccessConfig {
  host: string;
  token?: string | undefined;
  writeToken?: string | undefined;
}

export type Grant = 'none' | 'read' | 'write';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  if (LOOPBACK_NAMES.has(host)) return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Refuses configurations that would expose the war room to the network without a token. */
export function checkAccessConfig(config: AccessConfig): string | null {
  if (config.token !== undefined && config.token.length < 12) {
    return 'The --token must be at least 12 characters long.';
  }
  if (config.writeToken !== undefined && config.writeToken.length < 12) {
    return 'The --write-token must be at least 12 characters long.';
  }
  if (config.writeToken !== undefined && config.writeToken === config.token) {
    return 'The --write-token must differ from the read --token.';
  }
  if (!isLoopbackHost(config.host) && config.token === undefined && config.writeToken === undefined) {
    return `Refusing to listen on ${config.host} without --token: anyone on the network could read the war room. Pass --token (read-only) and optionally --write-token.`;
  }
  return null;
}

/** What a presented token (or none) allows under this configuration. */
export function grantFor(config: AccessConfig, presented: string | undefined): Grant {
  if (config.writeToken !== undefined && presented !== undefined && safeEqual(presented, config.writeToken)) {
    return 'write';
  }
  if (config.token !== undefined && presented !== undefined && safeEqual(presented, config.token)) {
    // On loopback the single token is the owner's; on the network it only lets people watch.
    return isLoopbackHost(config.host) ? 'write' : 'read';
  }
  if (config.token === undefined && config.writeToken === undefined) return 'write';
  return 'none';
}

function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
