/**
 * The `notices` block of FriendlyScore's user responses (seed: list-users, show-user): warnings
 * that the data given limits the result. A notice is null when there is nothing to say.
 */
import { isPublicAddress } from '../network.js';
import { GOOGLE_SCOPES } from './networks.js';
import { type Records, socialKind } from './records.js';

export interface Notices {
  google_scopes_notice: string | null;
  ip_address_notice: string | null;
}

export const IP_ADDRESS_NOTICE = 'Bad IPv4 address format or reserved IP address provided!';

export function googleScopesNotice(granted: readonly string[]): string | null {
  const have = new Set(granted);
  const missing = GOOGLE_SCOPES.filter((s) => !have.has(s));
  if (missing.length === 0) return null;
  return `FriendlyScore uses more google api scopes than provided within access_token. Missing scopes: ${missing.join(', ')}. Lack of scopes can lead to underestimated scoring result.`;
}

export function noticesFor(records: Records): Notices {
  const google = records.get(socialKind('google')) as { scopes?: unknown } | undefined;
  const ip = records.get('ip_address') as { ip?: unknown } | undefined;
  return {
    // Which scopes a Google token holds is known once a connector has asked Google.
    google_scopes_notice:
      google && Array.isArray(google.scopes)
        ? googleScopesNotice(google.scopes.filter((s): s is string => typeof s === 'string'))
        : null,
    ip_address_notice: ip && typeof ip.ip === 'string' && !isPublicAddress(ip.ip) ? IP_ADDRESS_NOTICE : null,
  };
}
