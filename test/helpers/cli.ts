// Runs `warroom …` in-process against one data folder and collects what it printed.
import { runCli } from '../../src/main/cli/program.ts';

export type CliRun = (...argv: string[]) => Promise<{ code: number; out: string; err: string }>;

export function cliIn(dataDir: string): CliRun {
  return async (...argv) => {
    let out = '';
    let err = '';
    const code = await runCli(['--data-dir', dataDir, ...argv], { out: (s) => (out += s), err: (s) => (err += s) });
    return { code, out, err };
  };
}
