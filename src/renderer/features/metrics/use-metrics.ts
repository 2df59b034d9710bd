// A release's metrics, loaded from the core: the view (panels, rules, alerts, markers,
// stabilization) and the downsampled series. Series live in a small store of their own, one
// entry per panel, and each chart subscribes to its panel only: a refresh that changes one panel
// redraws one chart, and the live countdown or a rule tick redraws none.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BaselineView, MetricsViewData, RangePreset, SeriesData, SeriesResult } from '../../../shared/api/metrics.ts';
import { useClient } from '../../state/context.tsx';

export interface SeriesState {
  byPanel: Record<string, SeriesData[]>;
  bands: Record<string, BaselineView['series'][number][]>;
  from: number;
  to: number;
  stepSeconds: number;
  loadedAt: number | null;
  problem: string | null;
}

export type SeriesStore = StoreApi<SeriesState>;

const EMPTY: SeriesData[] = [];
const NO_BANDS: BaselineView['series'][number][] = [];

/** Keeps a panel's previous array when nothing in it changed, so its chart does not redraw. */
function sameSeries(a: SeriesData[] | undefined, b: SeriesData[]): boolean {
  if (!a || a.length !== b.length) return false;
  return a.every((s, i) => {
    const o = b[i];
    if (!o || o.key !== s.key || o.points.length !== s.points.length || o.raw !== s.raw) return false;
    const x = s.points.at(-1);
    const y = o.points.at(-1);
    return x?.[0] === y?.[0] && x?.[1] === y?.[1] && s.points[0]?.[0] === o.points[0]?.[0];
  });
}

export function applySeries(store: SeriesStore, result: SeriesResult): void {
  const prev = store.getState();
  const byPanel: Record<string, SeriesData[]> = {};
  for (const s of result.series) (byPanel[s.panel] ??= []).push(s);
  for (const [panel, list] of Object.entries(byPanel)) {
    const old = prev.byPanel[panel];
    if (old && sameSeries(old, list) && prev.from === result.from && prev.to === result.to) byPanel[panel] = old;
  }
  const bands: Record<string, BaselineView['series'][number][]> = {};
  for (const [panel, view] of Object.entries(result.baselines)) bands[panel] = view.series;
  store.setState({ byPanel, bands, from: result.from, to: result.to, stepSeconds: result.stepSeconds, loadedAt: Date.now(), problem: null });
}

export function usePanelSeries(store: SeriesStore, panel: string): { series: SeriesData[]; bands: BaselineView['series'][number][] } {
  const series = useStore(store, (s) => s.byPanel[panel] ?? EMPTY);
  const bands = useStore(store, (s) => s.bands[panel] ?? NO_BANDS);
  return { series, bands };
}

export interface MetricsState {
  view: MetricsViewData | null;
  problem: string | null;
  seriesStore: SeriesStore;
  reload(): Promise<void>;
  /** Runs a write that returns the new view (or anything); resolves to the refusal or null. */
  act(run: () => Promise<unknown>): Promise<string | null>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function useMetrics(release: string, options: { live: boolean; range: RangePreset; points: number }): MetricsState {
  const client = useClient();
  const [view, setView] = useState<MetricsViewData | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [seriesStore] = useState<SeriesStore>(() =>
    createStore<SeriesState>()(() => ({ byPanel: {}, bands: {}, from: 0, to: 0, stepSeconds: 0, loadedAt: null, problem: null })),
  );
  const ticket = useRef(0);
  const seriesTicket = useRef(0);
  const { live, range, points } = options;

  const reload = useCallback(async () => {
    const mine = ++ticket.current;
    try {
      const next = await client.call('metrics.view', { release });
      if (mine === ticket.current) {
        setView(next);
        setProblem(null);
      }
    } catch (error) {
      if (mine === ticket.current) setProblem(message(error));
    }
  }, [client, release]);

  const loadSeries = useCallback(async () => {
    const mine = ++seriesTicket.current;
    try {
      const result = await client.call('metrics.series', { release, range, points });
      if (mine === seriesTicket.current) applySeries(seriesStore, result);
    } catch (error) {
      if (mine === seriesTicket.current) seriesStore.setState({ problem: message(error) });
    }
  }, [client, release, range, points, seriesStore]);

  useEffect(() => {
    void Promise.resolve().then(reload);
    return client.subscribe((notice) => {
      const mine =
        notice.topic === 'profile' ||
        ((notice.topic === 'metrics' || notice.topic === 'alert') && notice.release === release) ||
        (notice.topic === 'events' && notice.entities.some((e) => e.id === release || e.kind === 'metric' || e.kind === 'metrics'));
      if (mine) void reload();
    });
  }, [client, release, reload]);

  // Charts follow new samples only while live; paused keeps the picture still for discussion.
  useEffect(() => {
    void Promise.resolve().then(loadSeries);
    if (!live) return;
    return client.subscribe((notice) => {
      if (notice.topic === 'metrics' && notice.release === release) void loadSeries();
    });
  }, [client, release, live, loadSeries]);

  const act = useCallback(
    async (run: () => Promise<unknown>) => {
      try {
        const result = await run();
        if (result && typeof result === 'object' && 'panels' in result && 'release' in result) {
          ticket.current += 1;
          setView(result as MetricsViewData);
        } else void reload();
        void loadSeries();
        return null;
      } catch (error) {
        return message(error);
      }
    },
    [reload, loadSeries],
  );

  return { view, problem, seriesStore, reload, act };
}
