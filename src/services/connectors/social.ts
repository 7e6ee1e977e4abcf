/**
 * Runs the social network connectors for a user: every network a submitted token links, at once.
 * Each network's outcome is recorded as `connector.<network>` (`ok`, `token_refused`, `failed`
 * with the reason, or `no_token`); what it found as `social.<network>`. A refused token is stored
 * as `{"token_valid": false}` so that the network counts as not linked. A network that failed or
 * had no usable token contributes nothing, and the score's missing bins take over.
 */
import type { ConnectorConfig } from '../../config.js';
import { linkedNetworks, type Network } from '../../domain/footprint/networks.js';
import { socialKind } from '../../domain/footprint/records.js';
import type { DataRecordService, NewDataRecord } from '../data-records.js';
import { ConnectorFailure, ConnectorHttp, TokenRefused } from './http-client.js';
import { SOCIAL_CONNECTORS } from './social/index.js';

export const connectorKind = (n: Network) => `connector.${n}`;

export interface ConnectorOutcome {
  status: 'ok' | 'token_refused' | 'failed' | 'no_token';
  error?: string;
}

export class SocialConnectors {
  constructor(
    private readonly config: ConnectorConfig,
    private readonly records: DataRecordService,
  ) {}

  /** Reads every linked network and stores what came back; resolves with each network's outcome. */
  async gather(
    tenantId: string,
    subjectId: string,
    tokens: Readonly<Record<string, unknown>>,
    signal?: AbortSignal,
  ): Promise<Map<Network, ConnectorOutcome>> {
    const http = new ConnectorHttp({
      timeoutMs: this.config.timeoutMs,
      attempts: this.config.attempts,
      signal,
    });
    const outcomes = new Map<Network, ConnectorOutcome>();
    await Promise.all(
      linkedNetworks(tokens).map(async (network) => {
        const connector = SOCIAL_CONNECTORS[network];
        const token = connector.token(tokens);
        const out: NewDataRecord[] = [];
        const source = `connector.${network}`;
        let outcome: ConnectorOutcome;
        if (!token) outcome = { status: 'no_token' };
        else {
          try {
            const record = await connector.fetch(http, this.config.urls[network], token);
            out.push({ kind: socialKind(network), source, data: record });
            outcome = { status: 'ok' };
          } catch (err) {
            if (err instanceof TokenRefused) {
              out.push({
                kind: socialKind(network),
                source,
                data: { token_valid: false, error: err.message },
              });
              outcome = { status: 'token_refused', error: err.message };
            } else if (err instanceof ConnectorFailure) outcome = { status: 'failed', error: err.message };
            else if (signal?.aborted) throw err;
            else outcome = { status: 'failed', error: `unexpected answer: ${(err as Error).message}` };
          }
        }
        out.push({ kind: connectorKind(network), source, data: outcome });
        await this.records.add(tenantId, subjectId, out);
        outcomes.set(network, outcome);
      }),
    );
    return outcomes;
  }
}
