/** The setting to blame when a server cannot listen on the address it was given. */
import { type Config, ConfigError } from './config.js';

/**
 * Why the server could not listen, in the words of the setting to change; undefined for a failure
 * no setting explains.
 */
export function listenProblem(
  err: unknown,
  config: Pick<Config, 'host' | 'port'>,
  portSetting = 'CREDENCE_PORT',
): ConfigError | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = `${config.host}:${config.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new ConfigError([`${portSetting}: ${where} is already in use by another process`]);
    case 'EACCES':
      return new ConfigError([
        `${portSetting}: listening on ${where} is not permitted to this user (ports below 1024 need privileges)`,
      ]);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConfigError([`CREDENCE_HOST: "${config.host}" does not resolve to an address`]);
    case 'EADDRNOTAVAIL':
      return new ConfigError([`CREDENCE_HOST: "${config.host}" is not an address of this machine`]);
    default:
      return undefined;
  }
}
