// The `warroom` command line: global options, the command modules, and error reporting that
// prints one clear line instead of a stack trace.
import { Command, CommanderError } from 'commander';
import { api, isMethodName } from '../../shared/api/contract.ts';
import { openCore, type Core } from '../core/core.ts';
import { resolveDataDir } from '../core/data-dir.ts';
import { APP_VERSION } from '../core/version.ts';
import { CliExit, type CliContext, type CliIO, type CommandModule } from './context.ts';
import { serveCommands } from './commands/serve.ts';
import { storeCommands } from './commands/store.ts';
import { releaseCommands } from './commands/releases.ts';
import { runbookCommands } from './commands/runbooks.ts';
import { gonogoCommands } from './commands/gonogo.ts';
import { syncCommands } from './commands/sync.ts';
import { metricsCommands } from './commands/metrics.ts';

const MODULES: CommandModule[] = [serveCommands, storeCommands, releaseCommands, runbookCommands, syncCommands, gonogoCommands, metricsCommands];

export function buildProgram(io: CliIO, env: Record<string, string | undefined> = process.env): Command {
  const program = new Command('warroom')
    .description('Release War Room: plan releases, run runbooks, decide go/no-go, keep the audit trail.')
    .version(APP_VERSION, '-v, --version', 'print the version')
    .option('--data-dir <dir>', 'data folder (default: WARROOM_DATA_DIR, else the app’s folder for this OS)')
    .showHelpAfterError('(run `warroom --help` for the commands)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();

  const identityChecked = new WeakSet<Core>();
  const cli: CliContext = {
    io,
    dataDir: () => resolveDataDir(program.opts<{ dataDir?: string }>().dataDir, env),
    async withCore(fn, options = {}) {
      const core = openCore({ dataDir: cli.dataDir() });
      try {
        if (options.requireProfile !== false && !core.ctx.store.profile()) {
          throw new CliExit(
            `No profile in ${cli.dataDir()}: run \`warroom init --name NAME --role ROLE\` first (or complete the first-run screen in the app).`,
          );
        }
        return await fn(core);
      } finally {
        core.close();
      }
    },
    async call(core: Core, method, input) {
      if (isMethodName(method) && api[method].access === 'write' && !identityChecked.has(core)) {
        // The app checks for a duplicated identity in its first sync pass; a one-shot write
        // runs no pass, so it checks here before signing (and re-keys if this is a copy).
        identityChecked.add(core);
        const fork = core.ctx.sync.checkIdentity();
        if (fork) io.err(`warroom: ${fork.message}\n`);
      }
      const result = await core.dispatch(method, input);
      if (result.ok) return result.value as never;
      const { code, message, field } = result.error;
      throw new CliExit(field ? `${message} (${code}, field: ${field})` : `${message} (${code})`);
    },
  };
  for (const register of MODULES) register(program, cli);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function runCli(argv: string[], io: CliIO = stdio()): Promise<number> {
  const program = buildProgram(io);
  // Commander reads program options on either side of the command name, so
  // `warroom --data-dir D verify` and `warroom verify --data-dir D` both work.
  for (const sub of program.commands) sub.exitOverride();
  try {
    await program.parseAsync(versionAfterCommand(argv, program), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; their text is already printed.
      return error.exitCode;
    }
    if (error instanceof CliExit) {
      io.err(`warroom: ${error.message}\n`);
      return error.exitCode;
    }
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
      io.err('warroom: the disk holding the data folder is full; free some space and try again.\n');
      return 1;
    }
    io.err(`warroom: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.WARROOM_DEBUG) io.err(`${(error as Error).stack}\n`);
    return 1;
  }
}

/**
 * `warroom release create --version 7.3.0` is the release's version, not the program's: commander
 * lets the root claim a known flag anywhere, but it leaves `--version=V` (a value on a boolean
 * flag) to the subcommand. So after a command name, `--version V` is passed on as `--version=V`.
 */
export function versionAfterCommand(argv: readonly string[], program: Command): string[] {
  const names = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]));
  const at = argv.findIndex((arg) => names.has(arg));
  if (at < 0) return [...argv];
  const out = argv.slice(0, at + 1);
  for (let i = at + 1; i < argv.length; i++) {
    const next = argv[i + 1];
    if (argv[i] === '--version' && next !== undefined && !next.startsWith('-')) {
      out.push(`--version=${next}`);
      i += 1;
    } else out.push(argv[i]!);
  }
  return out;
}

function stdio(): CliIO {
  return { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };
}
