import type { Credentials } from '../../domain/principal.js';
import type { PrincipalSource } from '../../domain/ports/principal-source.js';
import { routeTo } from '../http/proxy-route.js';
import { asRecord, attempt, TOO_LARGE } from './arcade-http.js';

const LOOKUP_TIMEOUT_MS = 2000;
/** Longer is not an id PostHog keeps whole; such an answer is not believed. */
const MAX_PRINCIPAL_ID_LENGTH = 200;

/**
 * Whose login the credentials are, one attempt of 2 s (through the proxy, when one is set): an API
 * key by `GET /api/v1/auth/validate` (`data.principal_id`), an OAuth login by
 * `GET /api/v1/auth/whoami` on its Coordinator (`data.account_id`, else `data.principal_id`), as
 * the Python CLI links them. Any failure is "unknown". got loads only when a lookup is due.
 */
export class CloudPrincipalSource implements PrincipalSource {
  private readonly known = new Map<string, string>();

  constructor(private readonly cloudUrl: string) {}

  remember(credentials: Credentials, principalId: string): void {
    this.known.set(credentials.keyFingerprint, principalId);
  }

  async lookup(credentials: Credentials, cloudUrl?: string, timeoutMs = LOOKUP_TIMEOUT_MS): Promise<string | null> {
    const known = this.known.get(credentials.keyFingerprint);
    if (known !== undefined) return known;
    try {
      const base = cloudUrl ?? credentials.oauth?.coordinatorUrl ?? this.cloudUrl;
      const url = new URL(credentials.oauth ? '/api/v1/auth/whoami' : '/api/v1/auth/validate', base);
      const response = await attempt(url, await routeTo(url), {
        headers: { authorization: `Bearer ${credentials.bearer}`, accept: 'application/json' },
        timeoutMs,
      });
      // Too large, unreachable or not 200: unknown, as below.
      if (response === TOO_LARGE || !('statusCode' in response) || response.statusCode !== 200) return null;
      const data = asRecord(asRecord(JSON.parse(response.body))?.data);
      const principalId = (credentials.oauth ? data?.account_id : undefined) ?? data?.principal_id;
      return typeof principalId === 'string' && principalId !== '' && principalId.length <= MAX_PRINCIPAL_ID_LENGTH
        ? principalId
        : null;
    } catch {
      return null; // by contract: an unreachable, slow or confused Cloud only means "principal unknown"
    }
  }
}
