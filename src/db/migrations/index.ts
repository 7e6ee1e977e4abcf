import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.js';
import * as outcomes from './0002_outcomes.js';
import * as modelBuilding from './0003_model_building.js';
import * as friendlyscore from './0004_friendlyscore.js';
import * as td from './0005_td.js';
import * as finbox from './0006_finbox.js';
import * as camara from './0007_camara.js';
import * as connectors from './0008_connectors.js';
import * as consoleKeys from './0010_console.js';
import * as clientKeys from './0011_client_keys.js';
import * as idTokenAlg from './0012_id_token_alg.js';
import * as idempotencyExpiry from './0013_idempotency_expiry.js';
import * as secretCheck from './0014_secret_check.js';
import * as idempotencySubject from './0015_idempotency_subject.js';
import * as runPurpose from './0016_run_purpose.js';
import * as standingConsent from './0017_standing_consent_unique.js';
import * as outcomeAmounts from './0018_outcome_amounts_double.js';
import * as deviceSmsFact from './0019_device_sms_fact_index.js';
import * as partnerCallPersonHashes from './0020_partner_call_person_hashes.js';

/** Every migration, by sortable name. Imported statically so the build needs no file scanning. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_outcomes': outcomes,
  '0003_model_building': modelBuilding,
  '0004_friendlyscore': friendlyscore,
  '0005_td': td,
  '0006_finbox': finbox,
  '0007_camara': camara,
  '0008_connectors': connectors,
  '0010_console': consoleKeys,
  '0011_client_keys': clientKeys,
  '0012_id_token_alg': idTokenAlg,
  '0013_idempotency_expiry': idempotencyExpiry,
  '0014_secret_check': secretCheck,
  '0015_idempotency_subject': idempotencySubject,
  '0016_run_purpose': runPurpose,
  '0017_standing_consent_unique': standingConsent,
  '0018_outcome_amounts_double': outcomeAmounts,
  '0019_device_sms_fact_index': deviceSmsFact,
  '0020_partner_call_person_hashes': partnerCallPersonHashes,
};
