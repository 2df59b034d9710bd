// Runbooks slice: the template library, templates and runs opened so far, and every command on
// them. Commands answer with the template or run as the core now sees it, which replaces the
// cached copy, so the runner never waits for a second round trip to show a tick.
import type { StateCreator } from 'zustand/vanilla';
import type { InputOf, ResultOf } from '../../../shared/api/contract.ts';
import type { ImportOutcome, RunDetail, TemplateDetail, TemplateSummary } from '../../../shared/api/runbooks.ts';
import { toProblem, type Problem } from '../../state/session.ts';
import type { AppState, StoreDeps } from '../../state/store.ts';
import type { Outcome } from '../releases/releases-slice.ts';

export type StepMethod = 'step.start' | 'step.done' | 'step.skip' | 'step.fail' | 'step.block' | 'step.reset' | 'step.note' | 'step.assign' | 'step.attach' | 'rollback.start';

export interface RunbooksSlice {
  runbooks: {
    library: TemplateSummary[] | null;
    libraryProblem: Problem | null;
    templates: Record<string, TemplateDetail>;
    runs: Record<string, RunDetail>;
    problems: Record<string, Problem>;
  };
  loadLibrary(): Promise<void>;
  loadTemplate(id: string): Promise<void>;
  loadRun(id: string): Promise<void>;
  importRunbook(input: InputOf<'runbook.import'>): Promise<Outcome<ImportOutcome>>;
  saveTemplate(input: InputOf<'runbook.saveTemplate'>): Promise<Outcome<TemplateDetail>>;
  attachRunbook(input: InputOf<'runbook.attach'>): Promise<Outcome<RunDetail>>;
  exportRunbook(input: InputOf<'runbook.export'>): Promise<Outcome<ResultOf<'runbook.export'>>>;
  runCommand<M extends StepMethod>(method: M, input: InputOf<M>): Promise<Outcome<RunDetail>>;
  runbooksChanged(kinds: ReadonlySet<string>, ids: ReadonlySet<string>): void;
}

export function createRunbooksSlice(deps: StoreDeps): StateCreator<AppState, [], [], RunbooksSlice> {
  const requests = new Map<string, number>();

  return (set, get) => {
    const patch = (value: Partial<RunbooksSlice['runbooks']>) => set({ runbooks: { ...get().runbooks, ...value } });
    const clearProblem = (id: string) => {
      const { [id]: _gone, ...rest } = get().runbooks.problems;
      return rest;
    };
    const rememberRun = (run: RunDetail) => patch({ runs: { ...get().runbooks.runs, [run.id]: run }, problems: clearProblem(run.id) });
    const rememberTemplate = (template: TemplateDetail) =>
      patch({ templates: { ...get().runbooks.templates, [template.id]: template }, problems: clearProblem(template.id) });

    /** runbook.get for one id; only the newest answer per id is kept. */
    const load = async (id: string) => {
      const request = (requests.get(id) ?? 0) + 1;
      requests.set(id, request);
      try {
        const detail = await deps.client.call('runbook.get', { id });
        if (requests.get(id) !== request) return;
        if (detail.kind === 'run') rememberRun(detail);
        else rememberTemplate(detail);
      } catch (error) {
        if (requests.get(id) !== request) return;
        patch({ problems: { ...get().runbooks.problems, [id]: toProblem(error) } });
      }
    };

    const attempt = async <T>(work: () => Promise<T>, after: (value: T) => void): Promise<Outcome<T>> => {
      try {
        const value = await work();
        after(value);
        return { ok: true, value };
      } catch (error) {
        return { ok: false, problem: toProblem(error) };
      }
    };

    return {
      runbooks: { library: null, libraryProblem: null, templates: {}, runs: {}, problems: {} },

      async loadLibrary() {
        try {
          patch({ library: await deps.client.call('runbook.list', {}), libraryProblem: null });
        } catch (error) {
          patch({ libraryProblem: toProblem(error) });
        }
      },

      loadTemplate: load,
      loadRun: load,

      importRunbook: (input) =>
        attempt(
          () => deps.client.call('runbook.import', input),
          (outcome) => {
            if (outcome.template) rememberTemplate(outcome.template);
            if (outcome.run) rememberRun(outcome.run);
            void get().loadLibrary();
          },
        ),

      saveTemplate: (input) =>
        attempt(
          () => deps.client.call('runbook.saveTemplate', input),
          (template) => {
            rememberTemplate(template);
            void get().loadLibrary();
          },
        ),

      attachRunbook: (input) => attempt(() => deps.client.call('runbook.attach', input), rememberRun),

      exportRunbook: (input) => attempt(() => deps.client.call('runbook.export', input), () => {}),

      runCommand: (method, input) => attempt(() => deps.client.call(method, input) as Promise<RunDetail>, rememberRun),

      runbooksChanged(kinds, ids) {
        if ((kinds.has('runbook') || kinds.has('run')) && get().runbooks.library) void get().loadLibrary();
        // Refresh what is cached and changed; another device's tick shows up in the runner.
        const { runs, templates } = get().runbooks;
        for (const id of ids) if (id in runs || id in templates) void load(id);
        // A run shows its release's status (what may still change, whether a rollback can start).
        for (const run of Object.values(runs)) if (ids.has(run.release) && !ids.has(run.id)) void load(run.id);
      },
    };
  };
}
