import { routeTo } from '../http/proxy-route.js';
import { gotAgent } from './arcade-http.js';
import type { PrincipalSource } from '../../domain/ports/principal-source.js';

const VALIDATE_TIMEOUT_MS = 2000;

/** `GET /api/v1/auth/validate` on Arcade Cloud (through the proxy, when one is set): one attempt, 2 s, any failure is "unknown". got loads only when a lookup is due. */
export class CloudPrincipalSource implements PrincipalSource {
  constructor(private readonly cloudUrl: string) {}

  async lookup(apiKey: string, cloudUrl = this.cloudUrl): Promise<string | null> {
    try {
      const url = new URL('/api/v1/auth/validate', cloudUrl);
      const [{ got }, route] = await Promise.all([import('got'), routeTo(url)]);
      const body = await got
        .get(url, {
          headers: { authorization: `Bearer ${apiKey}` },
          timeout: { request: VALIDATE_TIMEOUT_MS },
          retry: { limit: 0 },
          ...gotAgent(route, url),
        })
        .json<{ data?: { principal_id?: unknown } }>();
      const principalId = body?.data?.principal_id;
      return typeof principalId === 'string' && principalId !== '' ? principalId : null;
    } catch {
      return null; // by contract: an unreachable, slow or confused Cloud only means "principal unknown"
    }
  }
}
