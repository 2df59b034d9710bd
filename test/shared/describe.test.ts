// Timeline sentences: every event type this version writes has one, readable on its own.
import { describe, expect, it } from 'vitest';
import { describeAction, describeEvent, sizeText } from '../../src/shared/domain/describe.ts';
import { EVENT_CATALOG } from '../../src/shared/events/catalog.ts';

const ana = { name: 'Ana' };

describe('describeEvent', () => {
  it('has a sentence for every event type in the catalog', () => {
    for (const type of Object.keys(EVENT_CATALOG)) expect(describeAction({ type, data: {} })).not.toBe(`recorded ${type}`);
    expect(describeAction({ type: 'metric.unknown', data: {} })).toBe('recorded metric.unknown');
  });

  it('explains metrics events: alerts with their numbers, readings, dashboards and stabilization', () => {
    const alert = { rule: 'error-rate', title: 'Error rate', detail: '3.1 % > 2 % for 5 min' };
    expect(describeAction({ type: 'metric.alert', data: { ...alert, state: 'firing' } })).toBe('alert “Error rate” fired: 3.1 % > 2 % for 5 min');
    expect(describeAction({ type: 'metric.alert', data: { ...alert, state: 'resolved', detail: '0.4 % ≤ 2 %' } })).toBe('alert “Error rate” resolved: 0.4 % ≤ 2 %');
    expect(describeAction({ type: 'metric.alert', data: { ...alert, state: 'no_data', detail: 'no samples for 5 min' } })).toBe('alert “Error rate” has no data: no samples for 5 min');
    expect(describeAction({ type: 'metric.alert', data: { ...alert, title: 'p95 (ms)', state: 'firing', detail: 'p95 (ms): 410 > 300 for 10m' } })).toBe('alert “p95 (ms)” fired: 410 > 300 for 10m');
    expect(describeEvent({ type: 'metric.recorded', actor: ana, data: { metric: 'checkout_success', value: '97.5', unit: '%', at: 0 } })).toBe('Ana recorded checkout_success = 97.5 %');
    expect(describeAction({ type: 'metric.source_saved', data: { config: { kind: 'prometheus', url: 'http://127.0.0.1:9090' } } })).toBe('configured a metric source (Prometheus at http://127.0.0.1:9090)');
    expect(describeAction({ type: 'metric.rule_saved', data: { id: 'err', rule: null } })).toBe('removed the alert rule “err”');
    expect(describeAction({ type: 'dashboard.applied', data: { dashboard: 'web', title: 'Web', panels: 3, rules: 1 } })).toBe('applied the dashboard “Web” (3 panels, 1 rule)');
    expect(describeAction({ type: 'stabilization.started', data: { startedAt: 0, durationSeconds: 86_400, criteria: [{}, {}] } })).toBe('started stabilization for 24h with 2 exit criteria');
    expect(describeEvent({ type: 'stabilization.handoff', actor: ana, data: { from: 'Ana', to: 'Bo', notes: 'quiet night', watch: 'p95' } })).toBe('Ana handed over from Ana to Bo: “quiet night”; watch “p95”');
    expect(describeAction({ type: 'stabilization.closed', data: { criteria: 1 } })).toBe('closed stabilization with 1 exit criterion met');
  });

  it('reads like a sentence, with the step title and the reason', () => {
    const step = { release: 'rel-1', step: 3, title: 'Apply migration' };
    expect(describeEvent({ type: 'step.skipped', actor: ana, data: { ...step, reason: 'done by hand' } })).toBe('Ana skipped step 3 “Apply migration”: done by hand');
    expect(describeEvent({ type: 'step.started', actor: ana, data: { ...step, forced: [1, 2] } })).toBe('Ana started step 3 “Apply migration” ahead of steps 1 and 2');
    expect(describeEvent({ type: 'step.assigned', actor: ana, data: { ...step, to: null } })).toBe('Ana unassigned step 3 “Apply migration”');
    expect(describeEvent({ type: 'release.updated', actor: ana, data: { field: 'window', value: { start: '2026-11-24T21:00:00.000Z', end: '2026-11-24T23:30:00.000Z', zone: 'Europe/Berlin' } } })).toBe(
      'Ana set the planned window to “2026-11-24 21:00Z – 2026-11-24 23:30Z (Europe/Berlin)”',
    );
    expect(describeEvent({ type: 'release.updated', actor: ana, data: { field: 'ticket', value: null } })).toBe('Ana cleared the change ticket');
    expect(describeEvent({ type: 'release.transitioned', actor: ana, data: { from: 'go_no_go', to: 'deploying' } })).toBe('Ana moved the release from go/no-go to deploying');
    expect(describeEvent({ type: 'rollback.finished', actor: ana, data: { release: 'r', seconds: 90, target: null, missed: false } })).toBe('Ana finished the rollback in 1m30s');
    expect(describeEvent({ type: 'note.added', actor: ana, data: { text: 'x'.repeat(200) } })).toMatch(/^Ana noted: “x{79}…”$/);
  });

  it('writes sizes people read', () => {
    expect(sizeText(900)).toBe('900 B');
    expect(sizeText(2048)).toBe('2.0 KiB');
    expect(sizeText(3 * 1024 * 1024)).toBe('3.0 MiB');
  });
});
