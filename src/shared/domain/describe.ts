// One readable sentence per event, for the timeline in the app and in the CLI. Works on the
// event alone (step events carry their step's title), so a timeline page needs no other reads.
import { formatDuration } from '../runbook-format/attributes.ts';
import { STATUS_LABELS, type ReleaseStatus } from './releases.ts';

export interface DescribableEvent {
  type: string;
  actor: { name: string };
  data: Record<string, unknown>;
}

const FIELD_WORDS: Record<string, string> = {
  title: 'name',
  version: 'version',
  type: 'release type',
  changeClass: 'change class',
  ticket: 'change ticket',
  services: 'services',
  environment: 'environment',
  strategy: 'deployment strategy',
  window: 'planned window',
  owner: 'owner',
  scope: 'scope',
  severity: 'severity',
};

const roleWords = (role: unknown) => String(role).replace(/_/g, ' ');
const quote = (text: unknown) => `“${clip(String(text ?? ''), 80)}”`;

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const status = (s: unknown) => STATUS_LABELS[s as ReleaseStatus] ?? String(s);

function fieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (field === 'window' && typeof value === 'object') {
    const w = value as { start: string; end: string; zone: string };
    return `${w.start.replace('T', ' ').replace(/:00(\.000)?Z$/, 'Z')} – ${w.end.replace('T', ' ').replace(/:00(\.000)?Z$/, 'Z')} (${w.zone})`;
  }
  if (Array.isArray(value)) return value.join(', ');
  if (field === 'scope') return clip(String(value), 60);
  return String(value);
}

/** " ahead of step 2 and 3" when a runner forced a step past unfinished dependencies. */
function ahead(forced: unknown): string {
  if (!Array.isArray(forced) || forced.length === 0) return '';
  const list = forced.map(String);
  return ` ahead of step${list.length > 1 ? 's' : ''} ${list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : list[0]}`;
}

/** What happened, without who: "completed step 3 “Apply migration”". */
export function describeAction(event: Pick<DescribableEvent, 'type' | 'data'>): string {
  const d = event.data;
  const step = `step ${String(d.step)} ${quote(d.title)}`;
  const why = (reason: unknown) => (reason ? `: ${clip(String(reason), 200)}` : '');
  switch (event.type) {
    case 'profile.changed':
      return `set their profile to ${String(d.name)} (${String(d.role)})`;
    case 'release.created':
      return `planned the release ${quote(d.title)}${d.version ? ` version ${String(d.version)}` : ''}`;
    case 'release.updated': {
      const field = String(d.field);
      const value = fieldValue(field, d.value);
      return value ? `set the ${FIELD_WORDS[field] ?? field} to ${quote(value)}` : `cleared the ${FIELD_WORDS[field] ?? field}`;
    }
    case 'release.transitioned':
      return `moved the release from ${status(d.from)} to ${status(d.to)}${why(d.reason)}`;
    case 'release.archived':
      return `archived the release${why(d.reason)}`;
    case 'note.added':
      return `noted: ${quote(d.text)}`;
    case 'runbook.saved':
      return `saved the runbook template ${quote((d.doc as { title?: string } | undefined)?.title)}`;
    case 'runbook.archived':
      return `archived a runbook template${why(d.reason)}`;
    case 'runbook.attached': {
      const template = d.template as { version?: number } | null;
      const source = d.source as { name?: string } | null;
      const from = template ? ` (template version ${String(template.version)})` : source?.name ? ` (imported from ${source.name})` : '';
      return `attached the runbook ${quote((d.doc as { title?: string } | undefined)?.title)}${from}`;
    }
    case 'step.started':
      return `started ${step}${ahead(d.forced)}`;
    case 'step.completed':
      return `completed ${step}${ahead(d.forced)}${d.note ? ` with the note ${quote(d.note)}` : ''}`;
    case 'step.skipped':
      return `skipped ${step}${why(d.reason)}`;
    case 'step.failed':
      return `marked ${step} as failed${why(d.reason)}`;
    case 'step.blocked':
      return `marked ${step} as blocked${why(d.reason)}`;
    case 'step.reset':
      return `reset ${step} to pending${why(d.reason)}`;
    case 'step.noted':
      return `added a note to ${step}: ${quote(d.text)}`;
    case 'step.assigned':
      return d.to ? `assigned ${step} to ${String(d.to)}` : `unassigned ${step}`;
    case 'step.evidence_added':
      return `attached ${String(d.name)} (${sizeText(Number(d.size))}) to ${step}`;
    case 'step.ticked':
      return d.done ? 'ticked a checklist item' : 'unticked a checklist item';
    case 'rollback.started':
      return `started the rollback${d.target ? ` (target ${formatDuration(Number(d.target))})` : ''}${why(d.reason)}`;
    case 'rollback.finished': {
      const took = formatDuration(Number(d.seconds)) || '0s';
      if (d.target === null || d.target === undefined) return `finished the rollback in ${took}`;
      return d.missed
        ? `finished the rollback in ${took}, missing the ${formatDuration(Number(d.target))} target`
        : `finished the rollback in ${took}, within the ${formatDuration(Number(d.target))} target`;
    }
    case 'signoff.given':
      return d.criterion === undefined ? `signed off the release as ${roleWords(d.as)}` : `signed off ${quote(d.criterion)} as ${String(d.as)}`;
    case 'signoff.withdrawn':
      return `withdrew a sign-off${why(d.reason)}`;
    case 'checklist.saved':
      return `saved the go/no-go checklist ${quote((d.doc as { title?: string } | undefined)?.title)}`;
    case 'checklist.attached':
      return `attached the go/no-go checklist ${quote((d.doc as { title?: string } | undefined)?.title)}`;
    case 'signoffs.required':
      return `required sign-offs from ${(Array.isArray(d.roles) ? d.roles : []).map(roleWords).join(', ') || 'nobody'}`;
    case 'criterion.answered': {
      const auto = d.auto as { detail?: string } | undefined;
      const answer = String(d.answer).replace('_', ' ');
      return auto
        ? `answered ${quote(d.criterion)} automatically: ${answer} (${clip(String(auto.detail ?? ''), 120)})`
        : `answered ${quote(d.criterion)} ${answer} as ${roleWords(d.as)}${why(d.comment)}`;
    }
    case 'testreport.imported':
      return `imported the test report ${quote(d.name)}: ${String(d.passed)}/${String(d.tests)} passed${d.passRate === null ? '' : ` (${String(d.passRate)}%)`}`;
    case 'device.admitted':
      return `admitted a device to the shared folder (key fingerprint ${String(d.fingerprint)})`;
    case 'device.revoked':
      return `revoked a device after its event ${String(d.after)}${why(d.reason)}`;
    case 'decision.made': {
      const outcome = d.outcome === 'go' ? 'GO' : d.outcome === 'no_go' ? 'NO-GO' : 'GO WITH CONDITIONS';
      const exception = d.exception ? ` under an exception (${clip(String(d.exception), 120)})` : '';
      return `decided ${outcome}${exception}${why(d.rationale ?? d.reason)}`;
    }
    default:
      return describeMetrics(event.type, d) ?? `recorded ${event.type}`;
  }
}

const count = (n: unknown, noun: string) => `${Number(n) || 0} ${noun}${Number(n) === 1 ? '' : 's'}`;
const exitCriteria = (n: unknown) => `${Number(n) || 0} exit criteri${Number(n) === 1 ? 'on' : 'a'}`;

/** Sentences of the metrics feature: sources, panels, rules, alerts, readings, dashboards, stabilization. */
function describeMetrics(type: string, d: Record<string, unknown>): string | null {
  const removed = (what: string, id: unknown) => `removed the ${what} ${quote(id)}`;
  switch (type) {
    case 'metric.source_saved': {
      const config = d.config as { kind?: string; url?: string; path?: string } | null | undefined;
      if (config === null) return 'removed a metric source';
      const where = config?.kind === 'prometheus' ? `Prometheus at ${String(config.url)}` : config?.kind === 'file' ? `the file feed ${quote(config.path)}` : 'manual readings';
      return `configured a metric source (${where})`;
    }
    case 'metric.panel_saved': {
      const panel = d.panel as { title?: string } | null | undefined;
      return panel === null ? removed('metrics panel', d.id) : `saved the metrics panel ${quote(panel?.title ?? d.id)}`;
    }
    case 'metric.rule_saved': {
      const rule = d.rule as { title?: string } | null | undefined;
      return rule === null ? removed('alert rule', d.id) : `saved the alert rule ${quote(rule?.title ?? d.id)}`;
    }
    case 'metric.alert': {
      const what = `alert ${quote(d.title ?? d.rule)}`;
      // The evaluator's detail starts with the rule's title, which the sentence already names.
      const full = String(d.detail ?? '');
      const prefix = `${String(d.title ?? '')}: `;
      const text = full.startsWith(prefix) ? full.slice(prefix.length) : full;
      const detail = text ? `: ${clip(text, 200)}` : '';
      if (d.state === 'resolved') return `${what} resolved${detail}`;
      if (d.state === 'no_data') return `${what} has no data${detail}`;
      return `${what} fired${detail}`;
    }
    case 'metric.recorded':
      return `recorded ${clip(String(d.metric ?? 'a reading'), 80)} = ${String(d.value)}${d.unit ? ` ${String(d.unit)}` : ''}${d.note ? ` (${clip(String(d.note), 120)})` : ''}`;
    case 'dashboard.saved':
      return `saved the dashboard template ${quote((d.doc as { title?: string } | undefined)?.title)}`;
    case 'dashboard.applied':
      return `applied the dashboard ${quote(d.title ?? d.dashboard)} (${count(d.panels, 'panel')}, ${count(d.rules, 'rule')})`;
    case 'stabilization.started': {
      const criteria = Array.isArray(d.criteria) ? d.criteria.length : 0;
      return `started stabilization for ${formatDuration(Number(d.durationSeconds)) || 'an open period'} with ${exitCriteria(criteria)}`;
    }
    case 'stabilization.checked':
      return `${d.done === false ? 'unticked' : 'ticked'} the exit criterion ${quote(d.text ?? d.criterion)}${d.note ? `: ${clip(String(d.note), 200)}` : ''}`;
    case 'stabilization.handoff':
      return `handed over from ${String(d.from)} to ${String(d.to)}: ${quote(d.notes)}${d.watch ? `; watch ${quote(d.watch)}` : ''}`;
    case 'stabilization.closed':
      return `closed stabilization with ${exitCriteria(d.criteria)} met${d.note ? `: ${clip(String(d.note), 200)}` : ''}`;
    default:
      return null;
  }
}

/** "Ana Silva completed step 3 “Apply migration”". */
export function describeEvent(event: DescribableEvent): string {
  return `${event.actor.name} ${describeAction(event)}`;
}

export function sizeText(bytes: number): string {
  if (!Number.isFinite(bytes)) return '? bytes';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
