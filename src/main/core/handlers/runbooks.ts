// Handlers for runbook templates: import, export, edit as versions, attach a copy to a release.
import { ApiError } from '../../../shared/api/errors.ts';
import type { runbooksApi } from '../../../shared/api/runbooks.ts';
import { isTerminal, releaseFacts } from '../../../shared/domain/releases.ts';
import { canonicalJson } from '../../../shared/events/canonical.ts';
import type { EntityState } from '../../../shared/events/fold.ts';
import { detectFormat, exportFileName, exportRunbook, importRunbook, type RunbookDoc } from '../../../shared/runbook-format/index.ts';
import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../dispatch.ts';
import { newId } from '../runbooks/ids.ts';
import { loadRun, resolveEntity, runDetail, templateDetail, templateSummaries, templateVersions } from '../runbooks/read.ts';

type Found = { kind: 'template'; id: string; state: EntityState } | { kind: 'run'; id: string; state: EntityState };

/** A template or a run by (a prefix of) its id. */
function findRunbook(ctx: CoreContext, text: string): Found {
  const order: ('runbook' | 'run')[] = text.startsWith('run-') ? ['run', 'runbook'] : ['runbook', 'run'];
  for (const kind of order) {
    try {
      const found = resolveEntity(ctx, kind, text);
      return { kind: kind === 'runbook' ? 'template' : 'run', ...found };
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'not_found') throw error;
    }
  }
  throw new ApiError('not_found', `No runbook template or run "${text}" on this device (\`warroom runbook list\` shows the templates).`);
}

function openRelease(ctx: CoreContext, text: string) {
  const { id, state } = resolveEntity(ctx, 'release', text);
  const facts = releaseFacts(id, state);
  if (isTerminal(facts.status)) throw new ApiError('conflict', `The release is ${facts.status.replace('_', ' ')}: no runbooks can be attached any more.`, 'release');
  return facts;
}

function attach(ctx: CoreContext, release: string, doc: RunbookDoc, template: { id: string; version: number; event: string } | null, source: { format: 'md' | 'yaml'; name?: string } | null) {
  const id = newId('run');
  ctx.store.appendEvents([{ type: 'runbook.attached', entity: { kind: 'run', id }, data: { release, doc, template, source } }]);
  return runDetail(ctx, loadRun(ctx, id));
}

function baseName(name: string): string {
  return (name.split(/[\\/]/).pop() ?? name).replace(/\.(md|markdown|ya?ml|txt)$/i, '');
}

export const runbookHandlers = {
  'runbook.import': (input, ctx) => {
    if (input.release && input.template) throw new ApiError('invalid_input', 'Import either onto a release or as a template version, not both.', 'template');
    const format = input.format ?? detectFormat(input.text, input.name);
    const { doc, warnings } = importRunbook(input.text, format, input.name ? { fallbackTitle: baseName(input.name) } : {});
    const source = { format, ...(input.name ? { name: input.name.split(/[\\/]/).pop()! } : {}) };
    if (input.release) {
      const release = openRelease(ctx, input.release);
      return { doc, format, warnings, template: null, run: attach(ctx, release.id, doc, null, source) };
    }
    const id = input.template ? resolveEntity(ctx, 'runbook', input.template).id : newId('tpl');
    ctx.store.appendEvents([{ type: 'runbook.saved', entity: { kind: 'runbook', id }, data: { doc, source } }]);
    return { doc, format, warnings, template: templateDetail(ctx, id, ctx.store.entity('runbook', id)!), run: null };
  },

  'runbook.export': (input, ctx) => {
    const found = findRunbook(ctx, input.id);
    let doc: RunbookDoc;
    if (found.kind === 'template') doc = templateDetail(ctx, found.id, found.state, input.version).doc;
    else {
      if (input.version !== undefined) throw new ApiError('invalid_input', 'A run has one version: the copy made when it was attached.', 'version');
      doc = loadRun(ctx, found.id).doc;
    }
    return { text: exportRunbook(doc, input.format), format: input.format, fileName: exportFileName(doc, input.format) };
  },

  'runbook.list': (input, ctx) => {
    const text = input.text?.toLowerCase();
    return templateSummaries(ctx)
      .filter((t) => input.includeArchived || !t.archived)
      .filter((t) => !text || [t.title, t.id, ...t.services, ...t.tags].some((s) => s.toLowerCase().includes(text)))
      .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  },

  'runbook.get': (input, ctx) => {
    const found = findRunbook(ctx, input.id);
    if (found.kind === 'template') return templateDetail(ctx, found.id, found.state, input.version);
    return runDetail(ctx, loadRun(ctx, found.id));
  },

  'runbook.saveTemplate': (input, ctx) => {
    const doc = input.doc as RunbookDoc;
    if (!input.id) {
      const id = newId('tpl');
      ctx.store.appendEvents([{ type: 'runbook.saved', entity: { kind: 'runbook', id }, data: { doc, source: { format: 'editor' } } }]);
      return templateDetail(ctx, id, ctx.store.entity('runbook', id)!);
    }
    const { id, state } = resolveEntity(ctx, 'runbook', input.id);
    const current = state.registers.doc?.values ?? [];
    if (input.basedOn && !current.some((w) => w.id === input.basedOn)) {
      const latest = templateVersions(ctx, id).find((v) => v.event === current[0]?.id);
      throw new ApiError(
        'conflict',
        `This template changed since you opened it: version ${latest?.version ?? '?'} was saved by ${latest?.by.name ?? 'someone'} at ${latest?.at ?? '?'}. ` +
          'Reload it, or save again without basedOn to keep yours as the next version (the other stays in the history).',
        'basedOn',
      );
    }
    const unchanged = current.length === 1 && canonicalJson(current[0]!.value) === canonicalJson(doc);
    if (!unchanged) ctx.store.appendEvents([{ type: 'runbook.saved', entity: { kind: 'runbook', id }, data: { doc, source: { format: 'editor' } } }]);
    return templateDetail(ctx, id, ctx.store.entity('runbook', id)!);
  },

  'runbook.archive': (input, ctx) => {
    const { id, state } = resolveEntity(ctx, 'runbook', input.id);
    if (!('archived' in state.flags)) {
      ctx.store.appendEvents([{ type: 'runbook.archived', entity: { kind: 'runbook', id }, data: input.reason ? { reason: input.reason } : {} }]);
    }
    const { kind: _kind, doc: _doc, event: _event, conflictVersions: _c, history: _h, ...summary } = templateDetail(ctx, id, ctx.store.entity('runbook', id)!);
    return summary;
  },

  'runbook.attach': (input, ctx) => {
    const release = openRelease(ctx, input.release);
    const { id, state } = resolveEntity(ctx, 'runbook', input.template);
    const template = templateDetail(ctx, id, state, input.version);
    return attach(ctx, release.id, template.doc, { id, version: template.version, event: template.event }, null);
  },
} satisfies Pick<HandlersOf<typeof runbooksApi, CoreContext>, 'runbook.import' | 'runbook.export' | 'runbook.list' | 'runbook.get' | 'runbook.saveTemplate' | 'runbook.archive' | 'runbook.attach'>;
