// Reading Prometheus HTTP API answers: special values, errors, the wrong result type, malformed
// bodies, and Grafana-like series names.
import { describe, expect, it } from 'vitest';
import { labelsKey, parseInstant, parsePromValue, parseQueryRange, seriesName } from '../../src/shared/metrics/prometheus.ts';

const matrix = (result: unknown, extra: Record<string, unknown> = {}) => ({ status: 'success', data: { resultType: 'matrix', result }, ...extra });

describe('parsePromValue', () => {
  it('reads decimals, exponents and the spelled-out special values', () => {
    expect(parsePromValue('0.02')).toBe(0.02);
    expect(parsePromValue('-1.5e-3')).toBe(-0.0015);
    expect(parsePromValue('1e+21')).toBe(1e21);
    expect(parsePromValue('42')).toBe(42);
    expect(parsePromValue('+Inf')).toBe(Infinity);
    expect(parsePromValue('-Inf')).toBe(-Infinity);
    expect(parsePromValue('NaN')).toBeNaN();
  });
  it('throws a clear error for anything else', () => {
    for (const bad of ['', 'abc', '0x10', '1,5', '1.2.3', 'Infinite']) expect(() => parsePromValue(bad)).toThrow(/is not a number/);
  });
});

describe('parseQueryRange', () => {
  it('turns a matrix into series with epoch-ms times and numeric values (NaN, ±Inf included)', () => {
    const answer = parseQueryRange(
      matrix(
        [
          {
            metric: { __name__: 'http_errors', job: 'api' },
            values: [
              [1_700_000_000, '0.5'],
              [1_700_000_015.5, 'NaN'],
              [1_700_000_031, '+Inf'],
              [1_700_000_046, '-Inf'],
            ],
          },
          { metric: {}, values: [] },
        ],
        { warnings: ['query touched 9 blocks'] },
      ),
    );
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.warnings).toEqual(['query touched 9 blocks']);
    expect(answer.series).toHaveLength(2);
    expect(answer.series[0]!.labels).toEqual({ __name__: 'http_errors', job: 'api' });
    expect(answer.series[0]!.t).toEqual([1_700_000_000_000, 1_700_000_015_500, 1_700_000_031_000, 1_700_000_046_000]);
    expect(answer.series[0]!.v).toEqual([0.5, NaN, Infinity, -Infinity]);
  });

  it('passes a status:error answer through with its type and message', () => {
    expect(parseQueryRange({ status: 'error', errorType: 'bad_data', error: 'parse error at char 5: unexpected "}"' })).toEqual({
      ok: false,
      errorType: 'bad_data',
      error: 'parse error at char 5: unexpected "}"',
    });
  });

  it('reports a vector where a matrix belongs as bad_response naming the type', () => {
    const answer = parseQueryRange({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '1'] }] } });
    expect(answer).toMatchObject({ ok: false, errorType: 'bad_response' });
    expect(!answer.ok && answer.error).toMatch(/"matrix"\), got "vector"/);
  });

  it('reports malformed bodies as bad_response saying what was wrong', () => {
    const cases: [unknown, RegExp][] = [
      [null, /Not a Prometheus API answer/],
      ['<html>502 Bad Gateway</html>', /Not a Prometheus API answer/],
      [{ status: 'success' }, /data/],
      [matrix([{ metric: {}, values: [[1, 2]] }]), /Malformed matrix.*values/],
      [matrix([{ metric: {} }]), /Series 0 has no values/],
      [matrix([{ metric: {}, values: [] }, { metric: {}, histograms: [[1, { count: '3', sum: '1', buckets: [] }]] }]), /Series 1 is a native histogram: chart a number/],
      [matrix([{ metric: { job: 3 }, values: [] }]), /Malformed matrix.*metric/],
      [matrix([{ metric: {}, values: [[1, 'lots']] }]), /series 0, sample 0: Sample value “lots” is not a number/],
    ];
    for (const [body, message] of cases) {
      const answer = parseQueryRange(body);
      expect(answer).toMatchObject({ ok: false, errorType: 'bad_response' });
      expect(!answer.ok && answer.error).toMatch(message);
    }
  });
});

describe('parseInstant', () => {
  it('reads a vector as one point per series and a scalar as one unlabelled series', () => {
    const vector = parseInstant({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { job: 'api' }, value: [1_700_000_000, '3'] },
          { metric: { job: 'web' }, value: [1_700_000_000, '+Inf'] },
        ],
      },
    });
    expect(vector).toEqual({
      ok: true,
      warnings: [],
      series: [
        { labels: { job: 'api' }, t: [1_700_000_000_000], v: [3] },
        { labels: { job: 'web' }, t: [1_700_000_000_000], v: [Infinity] },
      ],
    });
    expect(parseInstant({ status: 'success', data: { resultType: 'scalar', result: [1_700_000_000, 'NaN'] } })).toMatchObject({
      ok: true,
      series: [{ labels: {}, t: [1_700_000_000_000], v: [NaN] }],
    });
  });
  it('reports a matrix or string answer as bad_response', () => {
    expect(parseInstant(matrix([]))).toMatchObject({ ok: false, errorType: 'bad_response' });
    expect(parseInstant({ status: 'success', data: { resultType: 'string', result: [1, 'x'] } })).toMatchObject({ ok: false, errorType: 'bad_response' });
  });
});

describe('series names', () => {
  it('fills a legend template from the labels (missing labels empty), Grafana style', () => {
    expect(seriesName({ job: 'api', code: '500' }, '{{job}} {{ code }}')).toBe('api 500');
    expect(seriesName({ job: 'api' }, '{{job}}/{{instance}}')).toBe('api/');
  });
  it('without a legend: name{labels sorted}, escaped', () => {
    expect(seriesName({ job: 'api', __name__: 'up', code: '5"00' })).toBe('up{code="5\\"00",job="api"}');
    expect(seriesName({ __name__: 'up' })).toBe('up');
    expect(seriesName({ job: 'api' })).toBe('{job="api"}');
    expect(seriesName({})).toBe('{}');
  });
  it('labelsKey is the same for the same set in any order and differs for different sets', () => {
    expect(labelsKey({ b: '2', a: '1' })).toBe(labelsKey({ a: '1', b: '2' }));
    expect(labelsKey({ a: '1,b="2"' })).not.toBe(labelsKey({ a: '1', b: '2' }));
    expect(labelsKey({ __name__: 'x' })).not.toBe(labelsKey({}));
  });
});
