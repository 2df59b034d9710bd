// `warroom serve` behaviour a user or an attacker would notice: typed 400s, no stack traces,
// token rules on the network, DNS-rebinding and cross-origin guards, SSE, static files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src/main/core/core.ts';
import { checkAccessConfig, grantFor } from '../../src/main/host/access.ts';
import { HostConfigError, startHost, type HostOptions, type RunningHost } from '../../src/main/host/server.ts';
import { tempDir } from '../helpers/tmp.ts';

let core: Core | null = null;
let host: RunningHost | null = null;

afterEach(async () => {
  await host?.close();
  core?.close();
  host = null;
  core = null;
});

async function serve(options: Partial<HostOptions> = {}): Promise<RunningHost> {
  core = openCore({ dataDir: tempDir() });
  host = await startHost({ host: '127.0.0.1', port: 0, dispatch: core.dispatch, subscribe: core.subscribe, staticDir: null, ...options });
  return host;
}

/** Raw request, so tests can send any Host, Origin or body. */
function raw(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'POST', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('API over HTTP', () => {
  it('answers bad JSON with 400 and a typed error naming the problem', async () => {
    const { port } = await serve();
    const res = await raw(port, '/api/profile.set', { body: '{"name": "Ada",', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body);
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toMatch(/not valid JSON/);
  });

  it('answers a schema failure with the offending field', async () => {
    const { port } = await serve();
    const res = await raw(port, '/api/profile.set', { body: JSON.stringify({ name: 'Ada', role: 'coordinator', admin: true }) });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'invalid_input', field: 'admin' });
  });

  it('refuses GET on API methods and oversized bodies', async () => {
    const { port } = await serve();
    const get = await raw(port, '/api/app.info', { method: 'GET' });
    expect(get.status).toBe(400);
    expect(get.headers.allow).toBe('POST');
    const big = await raw(port, '/api/profile.set', { body: JSON.stringify({ name: 'x'.repeat(17 * 1024 * 1024) }) });
    expect(big.status).toBe(400);
    expect(JSON.parse(big.body).error.message).toMatch(/larger than/);
  });

  it('never leaks a stack trace when a handler crashes', async () => {
    const logged: string[] = [];
    const { port } = await serve({
      dispatch: () => Promise.reject(new Error('secret detail at /home/user/.ssh')),
      log: (line) => logged.push(line),
    });
    const res = await raw(port, '/api/app.info', { body: '{}' });
    expect(res.status).toBe(500);
    expect(res.body).not.toMatch(/secret|\.ssh|at /);
    expect(JSON.parse(res.body).error.code).toBe('internal');
    expect(logged.join('\n')).toMatch(/secret detail/);
  });

  it('refuses requests whose Host is not loopback (DNS rebinding) and cross-origin posts', async () => {
    const { port } = await serve();
    const rebinding = await raw(port, '/api/app.info', { body: '{}', headers: { host: `evil.example:${port}` } });
    expect(rebinding.status).toBe(403);
    const crossOrigin = await raw(port, '/api/app.info', { body: '{}', headers: { origin: 'https://evil.example' } });
    expect(crossOrigin.status).toBe(403);
    const sameOrigin = await raw(port, '/api/app.info', { body: '{}', headers: { origin: `http://127.0.0.1:${port}` } });
    expect(sameOrigin.status).toBe(200);
  });

  it('streams changes as server-sent events', async () => {
    const { port, url } = await serve();
    const received = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/changes', method: 'GET' }, (res) => {
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          const data = text.split('\n').find((line) => line.startsWith('data: '));
          if (data) {
            resolve(data.slice('data: '.length));
            req.destroy();
          }
        });
      });
      req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100));
    await fetch(`${url}api/profile.set`, { method: 'POST', body: JSON.stringify({ name: 'Ada', role: 'lead' }) });
    const notice = JSON.parse(await received);
    expect(['profile', 'events']).toContain(notice.topic);
  });
});

describe('network exposure', () => {
  it('refuses a LAN bind without a token', async () => {
    core = openCore({ dataDir: tempDir() });
    await expect(
      startHost({ host: '0.0.0.0', port: 0, dispatch: core.dispatch, subscribe: core.subscribe, staticDir: null }),
    ).rejects.toThrow(HostConfigError);
    expect(checkAccessConfig({ host: '0.0.0.0' })).toMatch(/without --token/);
    expect(checkAccessConfig({ host: '127.0.0.1' })).toBeNull();
    expect(checkAccessConfig({ host: '0.0.0.0', token: 'short' })).toMatch(/at least 12/);
  });

  it('on the network, every request carries the token and a read token cannot write', async () => {
    const token = 'wall-display-token-1';
    const { port } = await serve({ host: '0.0.0.0', token });
    const without = await raw(port, '/api/app.info', { body: '{}' });
    expect(without.status).toBe(401);
    const read = await raw(port, '/api/app.info', { body: '{}', headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    const write = await raw(port, '/api/profile.set', {
      body: JSON.stringify({ name: 'Mallory', role: 'approver' }),
      headers: { authorization: `Bearer ${token}` },
    });
    expect(write.status).toBe(403);
    expect(JSON.parse(write.body).error.code).toBe('forbidden');
    // Opening the printed URL (?token=…) sets an HttpOnly cookie so the page's own requests pass.
    const page = await raw(port, `/?token=${token}`, { method: 'GET' });
    expect(page.status).toBe(404); // API-only server here, but the token was accepted
    const stream = await raw(port, '/api/app.info', { body: '{}', headers: { cookie: `warroom_token=${token}` } });
    expect(stream.status).toBe(200);
  });

  it('grants follow the token rules', () => {
    const lan = { host: '0.0.0.0', token: 'read-token-12345', writeToken: 'write-token-12345' };
    expect(grantFor(lan, undefined)).toBe('none');
    expect(grantFor(lan, 'read-token-12345')).toBe('read');
    expect(grantFor(lan, 'write-token-12345')).toBe('write');
    expect(grantFor(lan, 'read-token-1234X')).toBe('none');
    expect(grantFor({ host: '127.0.0.1' }, undefined)).toBe('write');
    expect(grantFor({ host: '127.0.0.1', token: 'local-token-123' }, 'local-token-123')).toBe('write');
  });
});

describe('static renderer', () => {
  it('serves the built files with a strict CSP and never a file outside the folder', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>War Room</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    const { port } = await serve({ staticDir: dir });
    const index = await raw(port, '/', { method: 'GET' });
    expect(index.status).toBe(200);
    expect(index.body).toContain('War Room');
    expect(index.headers['content-security-policy']).toMatch(/default-src 'none'/);
    const js = await raw(port, '/assets/app.js', { method: 'GET' });
    expect(js.headers['content-type']).toMatch(/javascript/);
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/../../etc/passwd', '/%00']) {
      const res = await raw(port, path, { method: 'GET' });
      expect(res.status, path).toBe(404);
    }
  });
});
