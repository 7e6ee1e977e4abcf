import { type Command, CommanderError } from 'commander';
import { buildProgram } from './program.js';

const program = buildProgram();
const json = process.argv.includes('--json');

/**
 * With --json, a mistake on the command line (a missing option, an unknown one) is reported like
 * any other error: one JSON object on stdout and exit code 1, not commander's text on stderr.
 */
function reportParseErrorsAsJson(command: Command): void {
  command.exitOverride().configureOutput({ outputError: () => {} });
  for (const sub of command.commands) reportParseErrorsAsJson(sub);
}

if (json) reportParseErrorsAsJson(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // --help and --version end the same way with or without --json.
  if (err.code !== 'commander.helpDisplayed' && err.code !== 'commander.version') {
    const message = err.message.replace(/^error: /, '');
    process.stdout.write(`${JSON.stringify({ error: { code: 'CREDENCE_INVALID_INPUT', message } })}\n`);
  }
  process.exit(err.exitCode);
}
