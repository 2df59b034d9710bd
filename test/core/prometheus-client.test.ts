// The Prometheus client against a real Prometheus (Debian's binary, started by the harness) that
// scrapes a test exporter: series and labels, the error rate the exporter was told, PromQL errors,
// NaN/±Inf, a 72 h range split under the 11 000-point limit, and the failures a panel shows
// (unreachable, timeout, HTTP, not JSON, auth) from servers started here.
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantQuery, queryRange, resolveSecretFor, type FetchedAnswer, type PrometheusTarget } from '../../src/main/core/metrics/prometheus-client.ts';
import type { SecretStore } from '../../src/main/core/secrets.ts';
import { freePort, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';

const noSecrets = resolveSecretFor({ secrets: null, env: {} }, 'prod');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function series(answer: FetchedAnswer) {
  if (!answer.ok) throw new Error(`Expected series, got ${answer.errorType}: ${answer.error}`);
  return answer.series;
}

describe('against a real Prometheus', () => {
  let prom: RunningPrometheus;
  let target: PrometheusTarget;
  beforeAll(async () => {
    prom = await startPrometheus({ errorRate: 0.01 });
    target = { url: prom.url, timeoutMs: 10_000 };
  });
  afterAll(() => prom?.stop());

  it("returns the exporter's counters with their labels and growing values", async () => {
    const now = Date.now();
    const answer = await queryRange(target, noSecrets, 'http_requests_total', now - 60_000, now, 1);
    const got = series(answer).sort((a, b) => a.labels.code!.localeCompare(b.labels.code!));
    expect(got.map((s) => s.labels)).toEqual([
      { __name__: 'http_requests_total', code: '200', instance: prom.exporter.url.replace('http://', ''), job: 'api' },
      { __name__: 'http_requests_total', code: '500', instance: prom.exporter.url.replace('http://', ''), job: 'api' },
    ]);
    const ok = got[0]!;
    expect(ok.t.length).toBeGreaterThanOrEqual(2);
    expect(ok.t.length).toBe(ok.v.length);
    for (let i = 1; i < ok.t.length; i++) {
      expect(ok.t[i]! - ok.t[i - 1]!).toBe(1000);
      expect(ok.v[i]!).toBeGreaterThanOrEqual(ok.v[i - 1]!);
    }
    expect(ok.v.at(-1)!).toBeGreaterThan(0);
    expect(answer.bytes).toBeGreaterThan(100);
  });

  it('reports the error rate the exporter was set to, once Prometheus has scraped it', async () => {
    prom.exporter.setErrorRate(0.25);
    const ratio = 'sum(rate(http_requests_total{code="500"}[5s])) / sum(rate(http_requests_total[5s]))';
    const deadline = Date.now() + 20_000;
    let last: number | undefined;
    while (Date.now() < deadline) {
      const got = series(await instantQuery(target, noSecrets, ratio));
      last = got[0]?.v[0];
      if (last !== undefined && Math.abs(last - 0.25) < 0.001) break;
      await sleep(250);
    }
    expect(last).toBeCloseTo(0.25, 2); // exact once the 5 s window holds only the new rate
  });

  it("gives back Prometheus's own error for bad PromQL", async () => {
    const now = Date.now();
    const answer = await queryRange(target, noSecrets, 'sum(rate(http_requests_total[5m]', now - 60_000, now, 1);
    expect(answer).toMatchObject({ ok: false, errorType: 'bad_data' });
    expect(!answer.ok && answer.error).toMatch(/parse error/);
  });

  it('turns NaN, +Inf and -Inf into numbers', async () => {
    const instant = series(await instantQuery(target, noSecrets, 'vector(0/0)'));
    expect(instant[0]!.v[0]).toBeNaN();
    const now = Date.now();
    const inf = series(await queryRange(target, noSecrets, 'vector(1/0)', now - 10_000, now, 5));
    expect(inf[0]!.v).toEqual([Infinity, Infinity, Infinity]);
    const minus = series(await instantQuery(target, noSecrets, 'vector(-1/0)', now));
    expect(minus[0]).toMatchObject({ t: [now], v: [-Infinity] });
  });

  it('splits a 72 h range at a 15 s step instead of meeting the 11 000-point limit', async () => {
    const end = Math.floor(Date.now() / 1000) * 1000;
    const start = end - 72 * 3_600_000;
    const direct = new URLSearchParams({ query: 'vector(1)', start: String(start / 1000), end: String(end / 1000), step: '15' });
    const refused = (await (await fetch(`${prom.url}/api/v1/query_range?${direct.toString()}`)).json()) as { error: string };
    expect(refused.error).toMatch(/exceeded maximum resolution of 11,000 points/);

    const got = series(await queryRange(target, noSecrets, 'vector(1)', start, end, 15));
    expect(got).toHaveLength(1);
    const { t, v } = got[0]!;
    expect(t).toHaveLength(72 * 240 + 1);
    expect(t[0]).toBe(start);
    expect(t.at(-1)).toBe(end);
    expect(t.every((at, i) => i === 0 || at - t[i - 1]! === 15_000)).toBe(true);
    expect(v.every((x) => x === 1)).toBe(true);
  });

  it('answers "unreachable" once the server is down, and data again after a restart', async () => {
    await prom.kill();
    const down = await instantQuery(target, noSecrets, 'up');
    expect(down).toMatchObject({ ok: false, errorType: 'unreachable' });
    expect(!down.ok && down.error).toContain(prom.url);
    await prom.start();
    expect(series(await instantQuery(target, noSecrets, 'up{job="api"}'))[0]!.v[0]).toBe(1);
  });
});

describe('failures without Prometheus', () => {
  it('names the URL when nothing listens there', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const answer = await queryRange({ url, timeoutMs: 5000 }, noSecrets, 'up', Date.now() - 60_000, Date.now(), 15);
    expect(answer).toMatchObject({ ok: false, errorType: 'unreachable' });
    expect(!answer.ok && answer.error).toContain(url);
  });

  it('times out on a server that accepts the connection and never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const answer = await instantQuery({ url, timeoutMs: 300 }, noSecrets, 'up');
      expect(answer).toEqual(expect.objectContaining({ ok: false, errorType: 'timeout', error: 'Prometheus did not answer within 0.3 s.' }));
      expect(sockets.length).toBe(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  describe('a recording HTTP server', () => {
    const seen: IncomingHttpHeaders[] = [];
    let reply: { status: number; body: string } = { status: 200, body: '' };
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createHttpServer((req, res) => {
        seen.push(req.headers);
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const matrix = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { job: 'api' }, values: [[1700000000, '1']] }] } });

    it('sends the bearer token from the environment variable the source names', async () => {
      reply = { status: 200, body: matrix };
      const secrets = resolveSecretFor({ secrets: null, env: { PROM_TOKEN: 's3cret' } }, 'prod');
      const answer = await queryRange({ url, timeoutMs: 5000, auth: { type: 'bearer', token: { from: 'env', env: 'PROM_TOKEN' } } }, secrets, 'up', 1_699_999_000_000, 1_700_000_000_000, 60);
      expect(series(answer)).toEqual([{ labels: { job: 'api' }, t: [1_700_000_000_000], v: [1] }]);
      expect(seen.at(-1)!.authorization).toBe('Bearer s3cret');
    });

    it('sends basic auth with the password from the keychain', async () => {
      reply = { status: 200, body: matrix };
      const keychain: SecretStore = { get: (name) => (name === 'metrics.source.prod' ? 'pw' : null), set() {}, delete() {}, names: () => [] };
      const secrets = resolveSecretFor({ secrets: keychain, env: {} }, 'prod');
      const auth = { type: 'basic' as const, username: 'grafana', password: { from: 'keychain' as const } };
      series(await queryRange({ url, timeoutMs: 5000, auth }, secrets, 'up', 1_699_999_000_000, 1_700_000_000_000, 60));
      expect(seen.at(-1)!.authorization).toBe(`Basic ${Buffer.from('grafana:pw').toString('base64')}`);
    });

    it('does not send a request when the secret is missing, and says where it should come from', async () => {
      const before = seen.length;
      const fromEnv = await instantQuery({ url, timeoutMs: 5000, auth: { type: 'bearer', token: { from: 'env', env: 'PROM_TOKEN' } } }, noSecrets, 'up');
      expect(fromEnv).toMatchObject({ ok: false, errorType: 'auth' });
      expect(!fromEnv.ok && fromEnv.error).toContain('PROM_TOKEN');
      const fromKeychain = await instantQuery({ url, timeoutMs: 5000, auth: { type: 'bearer', token: { from: 'keychain' } } }, noSecrets, 'up');
      expect(!fromKeychain.ok && fromKeychain.error).toMatch(/keychain/);
      expect(seen.length).toBe(before);
    });

    it('reports an HTTP error status and a body that is not JSON', async () => {
      reply = { status: 503, body: 'Service Unavailable' };
      const down = await instantQuery({ url, timeoutMs: 5000 }, noSecrets, 'up');
      expect(down).toMatchObject({ ok: false, errorType: 'http' });
      expect(!down.ok && down.error).toContain('503');
      reply = { status: 200, body: '<html>login</html>' };
      expect(await instantQuery({ url, timeoutMs: 5000 }, noSecrets, 'up')).toMatchObject({ ok: false, errorType: 'bad_response' });
    });
  });
});
