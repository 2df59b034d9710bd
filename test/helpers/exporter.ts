// A tiny metrics exporter for tests: a node:http server on 127.0.0.1 serving /metrics in the
// Prometheus text format. Counters grow at a steady request rate, split by the configured error
// rate, so `rate(http_requests_total{code="500"}) / rate(http_requests_total)` is that rate.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exporter {
  url: string;
  /** Fraction of requests answered with code 500 from now on (0–1). */
  setErrorRate(fraction: number): void;
  /** Latency every request takes from now on (feeds the histogram). */
  setLatencyMs(ms: number): void;
  /** The gauge `checkout_success_ratio`. */
  setCheckoutRatio(value: number): void;
  stop(): Promise<void>;
}

export interface ExporterOptions {
  /** Requests per second across both codes (default 100). */
  requestsPerSecond?: number;
  errorRate?: number;
  latencyMs?: number;
}

const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5];

export async function startExporter(opts: ExporterOptions = {}): Promise<Exporter> {
  const perSecond = opts.requestsPerSecond ?? 100;
  let errorRate = opts.errorRate ?? 0;
  let latencySeconds = (opts.latencyMs ?? 80) / 1000;
  let checkout = 0.99;
  const counts = { ok: 0, error: 0 };
  const buckets = BUCKETS.map(() => 0);
  let histCount = 0;
  let histSum = 0;
  let last = performance.now();

  // Advance every counter by rate × elapsed, so the rate Prometheus computes is exact.
  const advance = () => {
    const now = performance.now();
    const requests = (perSecond * (now - last)) / 1000;
    last = now;
    counts.error += requests * errorRate;
    counts.ok += requests * (1 - errorRate);
    histCount += requests;
    histSum += requests * latencySeconds;
    BUCKETS.forEach((le, i) => {
      if (latencySeconds <= le) buckets[i]! += requests;
    });
  };
  const timer = setInterval(advance, 100);
  timer.unref();

  const body = () => {
    advance();
    const lines = [
      '# HELP http_requests_total Requests served, by status code.',
      '# TYPE http_requests_total counter',
      `http_requests_total{code="200"} ${counts.ok}`,
      `http_requests_total{code="500"} ${counts.error}`,
      '# HELP checkout_success_ratio Share of checkouts that succeed.',
      '# TYPE checkout_success_ratio gauge',
      `checkout_success_ratio ${checkout}`,
      '# HELP http_request_duration_seconds Request latency.',
      '# TYPE http_request_duration_seconds histogram',
      ...BUCKETS.map((le, i) => `http_request_duration_seconds_bucket{le="${le}"} ${buckets[i]}`),
      `http_request_duration_seconds_bucket{le="+Inf"} ${histCount}`,
      `http_request_duration_seconds_sum ${histSum}`,
      `http_request_duration_seconds_count ${histCount}`,
    ];
    return `${lines.join('\n')}\n`;
  };

  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end('Only /metrics is served here.\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const checkFraction = (name: string, value: number) => {
    if (!(value >= 0 && value <= 1)) throw new Error(`${name} must be between 0 and 1, got ${value}.`);
  };
  return {
    url: `http://127.0.0.1:${port}`,
    setErrorRate(fraction) {
      checkFraction('The error rate', fraction);
      advance();
      errorRate = fraction;
    },
    setLatencyMs(ms) {
      advance();
      latencySeconds = ms / 1000;
    },
    setCheckoutRatio(value) {
      checkFraction('The checkout ratio', value);
      checkout = value;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
