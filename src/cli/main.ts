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

/**
 * The argument or option a command-line mistake is about, named as the commands' own errors name
 * their fields (`name`, `tenant`): commander puts it in quotes, an option with its dashes.
 */
function fieldOf(message: string): string | undefined {
  return (/argument '([\w-]+)'/.exec(message) ?? /option '--([\w-]+)/.exec(message))?.[1];
}

/**
 * An option written without its value takes the next word as one: `--tenant --json` is a tenant
 * named `--json`, and the output would no longer be JSON. Refused as the missing value it is.
 */
program.hook('preAction', (_program, action) => {
  const values = action.opts();
  for (const option of action.options) {
    const value = values[option.attributeName()];
    if (value === '--json' || (Array.isArray(value) && value.includes('--json')))
      action.error(`error: option '${option.flags}' argument missing`, {
        code: 'commander.optionMissingArgument',
      });
  }
});

if (json) reportParseErrorsAsJson(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // --help and --version end the same way with or without --json.
  if (err.code !== 'commander.helpDisplayed' && err.code !== 'commander.version') {
    const message = err.message.replace(/^error: /, '');
    const field = fieldOf(message);
    process.stdout.write(
      `${JSON.stringify({ error: { code: 'CREDENCE_INVALID_INPUT', message, ...(field ? { field } : {}) } })}\n`,
    );
  }
  process.exit(err.exitCode);
}
