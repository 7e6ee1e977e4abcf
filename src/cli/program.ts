import { Command } from 'commander';
import { registerClientCommands } from './commands/client.js';
import { registerConsortiumCommands } from './commands/consortium.js';
import { registerKeyCommands } from './commands/key.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerModelCommands } from './commands/model.js';
import { registerOutcomeCommands } from './commands/outcomes.js';
import { registerPartnerCommands } from './commands/partner.js';
import { registerScoreCommand } from './commands/score.js';
import { registerSecretCommands } from './commands/secret.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTelcoCommands } from './commands/telco.js';
import { registerTenantCommands } from './commands/tenant.js';
import { registerTrainCommand } from './commands/train.js';
import { registerWebhookCommands } from './commands/webhook.js';
import { registerWorkerCommand } from './commands/worker.js';

export function buildProgram(): Command {
  const program = new Command('credence')
    .description('Credence: credit scoring on alternative data')
    .version('0.1.0')
    .showHelpAfterError();
  registerServeCommand(program);
  registerWorkerCommand(program);
  registerMigrateCommand(program);
  registerTenantCommands(program);
  registerKeyCommands(program);
  registerModelCommands(program);
  registerOutcomeCommands(program);
  registerTrainCommand(program);
  registerScoreCommand(program);
  registerClientCommands(program);
  registerWebhookCommands(program);
  registerPartnerCommands(program);
  registerConsortiumCommands(program);
  registerTelcoCommands(program);
  registerSecretCommands(program);
  return program;
}
