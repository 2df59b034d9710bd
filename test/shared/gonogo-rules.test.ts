// The rule evaluator for automatic go/no-go criteria and the JUnit report reader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JUnitError, parseJUnit } from '../../src/shared/gonogo/junit.ts';
import { evaluateRule, type AutoRule, type MetricSample } from '../../src/shared/gonogo/rules.ts';
import { DEFAULT_CHECKLIST, checklistDocSchema } from '../../src/shared/gonogo/checklist.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/junit', name), 'utf8');
const NOW = Date.UTC(2026, 10, 24, 21, 0, 0);

describe('JUnit reports from several runners', () => {
  it('reads surefire (a bare testsuite with a failure and a skip)', () => {
    expect(parseJUnit(fixture('surefire.xml'))).toMatchObject({ tests: 4, passed: 2, failures: 1, errors: 0, skipped: 1, suites: 1, passRate: 66 });
    expect(parseJUnit(fixture('surefire.xml')).failing).toEqual(['com.shop.checkout.CheckoutServiceTest › appliesVoucher']);
  });
  it('reads pytest (testsuites around one suite, an error on setup)', () => {
    expect(parseJUnit(fixture('pytest.xml'))).toMatchObject({ tests: 5, passed: 4, errors: 1, passRate: 80, failing: ['pytest › test_gateway_timeout'] });
  });
  it('reads jest-junit (several suites, all passing)', () => {
    expect(parseJUnit(fixture('jest-junit.xml'))).toMatchObject({ tests: 3, passed: 3, suites: 2, passRate: 100, failing: [] });
  });
  it('names the problem in malformed or foreign XML', () => {
    expect(() => parseJUnit(fixture('malformed.xml'))).toThrow(/Not well-formed XML at line \d+/);
    expect(() => parseJUnit('<html><body/></html>')).toThrow(/root element is <html>/);
    expect(() => parseJUnit('<testsuites/>')).toThrow(/no <testcase> elements/);
    expect(() => parseJUnit('  ')).toThrow(JUnitError);
  });
});

describe('evaluateRule', () => {
  const junit: AutoRule = { kind: 'junit_pass_rate', minPercent: 80 };
  it('JUnit pass rate at or above N% is met, below is not, no report is unknown', () => {
    expect(evaluateRule(junit, { now: NOW, junit: { ...parseJUnit(fixture('pytest.xml')), name: 'pytest.xml' } })).toMatchObject({ outcome: 'met', inputs: { passRate: 80, tests: 5 } });
    expect(evaluateRule(junit, { now: NOW, junit: { ...parseJUnit(fixture('surefire.xml')), name: 'surefire.xml' } })).toMatchObject({ outcome: 'not_met' });
    expect(evaluateRule(junit, { now: NOW })).toMatchObject({ outcome: 'unknown' });
  });

  it('a runbook section is met when every step is done or skipped', () => {
    const rule: AutoRule = { kind: 'runbook_section', section: 'pre-flight' };
    const section = (states: string[]) => [{ run: 'run-a', runTitle: 'Deploy', section: 'Pre-flight', steps: states.map((state, i) => ({ number: i + 1, title: `s${i}`, state })) }];
    expect(evaluateRule(rule, { now: NOW, sections: section(['done', 'skipped']) }).outcome).toBe('met');
    const open = evaluateRule(rule, { now: NOW, sections: section(['done', 'failed']) });
    expect(open).toMatchObject({ outcome: 'not_met', inputs: { open: ['run-a/2 failed'] } });
    expect(evaluateRule(rule, { now: NOW, sections: [] }).outcome).toBe('unknown');
  });

  it('a metric is judged over its window only, NaN counts as missing, Infinity as a reading', () => {
    const rule: AutoRule = { kind: 'metric_threshold', metric: 'error_rate', aggregate: 'max', op: '<=', threshold: '0.5', windowSeconds: 300 };
    const at = (secondsAgo: number, value: number): MetricSample => ({ at: NOW - secondsAgo * 1000, value });
    const samples = (list: MetricSample[]) => ({ now: NOW, samples: { error_rate: list } });
    expect(evaluateRule(rule, samples([at(10, 0.2), at(200, 0.5), at(400, 9)]))).toMatchObject({ outcome: 'met', inputs: { observed: '0.5', samples: 2 } });
    expect(evaluateRule(rule, samples([at(10, 0.2), at(100, 0.51)])).outcome).toBe('not_met');
    expect(evaluateRule(rule, samples([at(10, Number.NaN), at(20, 0.1)]))).toMatchObject({ outcome: 'met', inputs: { missing: 1, samples: 1 } });
    expect(evaluateRule(rule, samples([at(10, Number.NaN)])).outcome).toBe('unknown');
    expect(evaluateRule(rule, samples([at(10, Number.POSITIVE_INFINITY)]))).toMatchObject({ outcome: 'not_met', inputs: { observed: 'Infinity' } });
    expect(evaluateRule(rule, samples([at(-5, 9)])).outcome).toBe('unknown');
    const avg: AutoRule = { ...rule, aggregate: 'avg', minSamples: 3 };
    expect(evaluateRule(avg, samples([at(1, 0.1), at(2, 0.9)])).outcome).toBe('unknown');
    expect(evaluateRule(avg, samples([at(1, 0.1), at(2, 0.9), at(3, 0.2)]))).toMatchObject({ outcome: 'met', inputs: { observed: '0.4' } });
    const every: AutoRule = { ...rule, aggregate: 'every', op: '>', threshold: '99.9', metric: 'availability' };
    expect(evaluateRule(every, { now: NOW, samples: { availability: [at(1, 99.95), at(2, 99.2)] } })).toMatchObject({ outcome: 'not_met', inputs: { violations: 1, worst: '99.2' } });
    expect(evaluateRule(every, { now: NOW, samples: { availability: [at(1, Number.NEGATIVE_INFINITY)] } }).outcome).toBe('not_met');
  });
});

describe('the default checklist', () => {
  it('is valid, covers every group and names the usual sign-off roles', () => {
    expect(checklistDocSchema.safeParse(DEFAULT_CHECKLIST).success).toBe(true);
    expect(new Set(DEFAULT_CHECKLIST.criteria.map((c) => c.group))).toEqual(new Set(['readiness', 'testing', 'operations', 'business', 'security']));
    expect(DEFAULT_CHECKLIST.signoffRoles).toEqual(['technical_lead', 'operations', 'business_owner', 'change_manager']);
  });
});
