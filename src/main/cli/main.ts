// Entry point of the bundled `warroom` command.
import { runCli } from './program.ts';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`warroom: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
