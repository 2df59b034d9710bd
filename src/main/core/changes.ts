// One subscription mechanism for every transport: the core publishes, transports forward.
import type { ChangeNotice } from '../../shared/api/changes.ts';

export type ChangeListener = (notice: ChangeNotice) => void;

export class ChangeBus {
  readonly #listeners = new Set<ChangeListener>();

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(notice: ChangeNotice): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(notice);
      } catch (error) {
        // A broken subscriber (a closed window, a dropped SSE client) must not stop the others.
        process.stderr.write(`[changes] subscriber failed: ${String(error)}\n`);
      }
    }
  }

  get size(): number {
    return this.#listeners.size;
  }
}
