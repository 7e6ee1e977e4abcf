/**
 * The one engine behind every version of the CAMARA Customer Insights scoring API. It applies the
 * identifier rules of the token kind, the operator's configuration, the lookups and the consent,
 * then scores the subscriber with the telco_score scorecard and maps its PD to the scale asked for.
 * Refusals are catalog errors; each API version renders them in its own codes (docs/camara.md).
 *
 * The checks run in this order (docs/camara.md#validation-order): identifiers against the token,
 * the scale, idDocument support, the subscriber, consent, exclusions, a required idDocument, whether
 * the idDocument is the subscriber's, and the length of history.
 */
import type { TokenSubject } from '../../auth/access-tokens.js';
import { purposeIn } from '../../auth/scopes.js';
import { CredenceError } from '../../domain/errors.js';
import type { CamaraConfig } from '../../domain/telco/operator-config.js';
import { type Scale, scaleValue } from '../../domain/telco/scales.js';
import { historyDays, scoringAttributes } from '../../domain/telco/subscriber.js';
import type { Clock } from '../../lib/clock.js';
import type { Principal } from '../principal.js';
import type { ScoringService } from '../scoring-service.js';
import type { ConsentService } from './consents.js';
import type { StoredSubscriber, SubscriberService } from './subscribers.js';

export const TELCO_SERVICE = 'telco_score';

export interface InsightsRequest {
  principal: Principal;
  subject: TokenSubject;
  /** The scope the consent must cover, for tokens bound to a subscriber of ours. */
  consentScope: string;
  phoneNumber?: string | undefined;
  idDocument?: string | undefined;
  scoringType?: Scale | undefined;
  requestId: string;
  /** The request as received, kept (encrypted) with the run. */
  rawInput: unknown;
}

export interface InsightsAnswer {
  scoringType: Scale;
  scoringValue: number;
  pd: number;
  runId: string;
}

const fail = (code: ConstructorParameters<typeof CredenceError>[0], message: string, details = {}) =>
  new CredenceError(code, message, details);

export class CustomerInsightsService {
  constructor(
    private readonly subscribers: SubscriberService,
    private readonly consents: ConsentService,
    private readonly scoring: ScoringService,
    private readonly clock: Clock,
    private readonly config: () => CamaraConfig,
  ) {}

  async retrieve(r: InsightsRequest): Promise<InsightsAnswer> {
    const config = this.config();
    const tenantId = r.principal.tenantId;
    if (r.subject.kind === 'none' && r.phoneNumber === undefined)
      throw fail('CREDENCE_IDENTIFIER_MISSING', 'The phone number cannot be identified.');
    if (r.subject.kind !== 'none' && r.phoneNumber !== undefined)
      throw fail(
        'CREDENCE_IDENTIFIER_UNNECESSARY',
        'The phone number is already identified by the access token.',
      );
    const scale = r.scoringType ?? config.defaultScale;
    if (!config.scales.includes(scale))
      throw fail('CREDENCE_OPTION_NOT_SUPPORTED', `Indicated parameter \`scoringType\` is not supported.`, {
        option: 'scoringType',
      });
    if (
      r.idDocument !== undefined &&
      (!config.idDocument.supported || !config.idDocument.supportedScales.includes(scale))
    )
      throw fail('CREDENCE_OPTION_NOT_SUPPORTED', 'Indicated parameter `idDocument` is not supported.', {
        option: 'idDocument',
      });

    const subscriber = await this.subscriber(tenantId, r);
    if (!subscriber)
      throw fail('CREDENCE_NOT_FOUND', 'phoneNumber not found.', { identifier: 'phoneNumber' });
    if (
      r.subject.kind === 'subscriber' &&
      !(await this.consents.isGranted(subscriber.id, r.principal.credentialId, r.consentScope))
    )
      throw fail('CREDENCE_FORBIDDEN', 'The subscriber has not consented, or withdrew consent.', {
        reason: 'consent',
      });
    if (config.excludedSubscriptionTypes.includes(subscriber.subscriptionType))
      throw fail('CREDENCE_NOT_APPLICABLE', 'The service is not available for the provided identifier.', {
        reason: 'excluded_subscription',
      });
    if (
      r.idDocument === undefined &&
      config.idDocument.requiredForSubscriptionTypes.includes(subscriber.subscriptionType)
    )
      throw fail(
        'CREDENCE_ID_DOCUMENT_REQUIRED',
        'The `idDocument` is required to perform the properties validation.',
      );
    // Another subscriber's document is "not related" to the phone number (0.3) or "not consistent"
    // with it (0.2); one held by nobody is 404 NOT_FOUND, unless the operator answers it as another
    // subscriber's, so that a caller cannot learn whether a document belongs to any subscriber.
    if (r.idDocument !== undefined && !this.subscribers.holdsIdDocument(subscriber, r.idDocument)) {
      if (
        config.idDocument.notFoundForUnknown &&
        !(await this.subscribers.anyoneHoldsIdDocument(tenantId, r.idDocument))
      )
        throw fail('CREDENCE_NOT_FOUND', 'The specified resource is not found.', {
          identifier: 'idDocument',
        });
      throw fail('CREDENCE_IDENTIFIERS_MISMATCH', 'The request contains invalid data.');
    }
    const today = this.clock.now();
    if (historyDays(subscriber.activationDate, today) < config.minHistoryDays)
      throw fail('CREDENCE_NOT_APPLICABLE', 'The service is not available for the provided identifier.', {
        reason: 'short_history',
      });

    const attributes = scoringAttributes(
      {
        phone: '',
        idDocument: null,
        subscriptionType: subscriber.subscriptionType,
        activationDate: subscriber.activationDate,
        features: subscriber.features(),
      },
      today,
    );
    const run = await this.scoring.scoreAttributes(r.principal, TELCO_SERVICE, attributes, {
      partnerId: subscriber.id,
      dialect: 'camara',
      requestId: r.requestId,
      rawInput: r.rawInput,
      // Why the consumer asked: the CAMARA profile's purpose scope on its token, kept with the run.
      purpose: purposeIn(r.principal.scopes),
    });
    const pd = run.outcome.scorecard.pd;
    return { scoringType: scale, scoringValue: scaleValue(scale, pd), pd, runId: run.id };
  }

  private subscriber(tenantId: string, r: InsightsRequest): Promise<StoredSubscriber | undefined> {
    switch (r.subject.kind) {
      case 'subscriber':
        return this.subscribers.byId(tenantId, r.subject.id);
      case 'phone':
        return this.subscribers.byPhoneClaim(tenantId, r.subject.phone);
      case 'none':
        // CAMARA's pattern admits a number libphonenumber writes otherwise (`+2540722000111`, with
        // the trunk 0): it names the subscriber loaded under that number, as every other door does.
        return this.subscribers.byPhoneClaim(tenantId, r.phoneNumber!);
    }
  }
}
