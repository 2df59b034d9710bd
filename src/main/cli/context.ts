// What every CLI command module gets: output streams, the data folder, and calls through the
// core's dispatch table (so the CLI has no business logic of its own).
import type { Command } from 'commander';
import type { InputOf, MethodName, ResultOf } from '../../shared/api/contract.ts';
import type { Core } from '../core/core.ts';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export interface CliContext {
  readonly io: CliIO;
  /** The data folder from --data-dir, WARROOM_DATA_DIR or the OS default. */
  dataDir(): string;
  /**
   * Opens the core, runs `fn`, closes the core. Unless `requireProfile` is false, a data folder
   * without a profile stops with "run warroom init" (exit code 1).
   */
  withCore<T>(fn: (core: Core) => Promise<T> | T, options?: { requireProfile?: boolean }): Promise<T>;
  /** Calls one API method; on an error prints it (code, field, message) and exits non-zero. */
  call<M extends MethodName>(core: Core, method: M, input: InputOf<M>): Promise<ResultOf<M>>;
}

/** A group of commands; registered on the root program in cli/program.ts. */
export type CommandModule = (program: Command, cli: CliContext) => void;

/** Thrown to end a command with a message and an exit code, without a stack trace. */
export class CliExit extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}
