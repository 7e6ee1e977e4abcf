import { Command } from 'commander';
import { registerConsortiumCommands } from './commands/consortium.js';
import { registerKeyCommands } from './commands/key.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerModelCommands } from './commands/model.js';
import { registerPartnerCommands } from './commands/partner.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTenantCommands } from './commands/tenant.js';

export function buildProgram(): Command {
  const program = new Command('credence')
    .description('Credence: credit scoring on alternative data')
    .version('0.1.0')
    .showHelpAfterError();
  registerServeCommand(program);
  registerMigrateCommand(program);
  registerTenantCommands(program);
  registerKeyCommands(program);
  registerModelCommands(program);
  registerPartnerCommands(program);
  registerConsortiumCommands(program);
  return program;
}
