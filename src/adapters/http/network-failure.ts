import { ours, systemWord, text, url, type ErrorText, type ServiceName, type Supplied } from '../../domain/errors.js';
import type { NetworkRoute } from './proxy-route.js';

/** TLS verification failures Node reports by code: the server's certificate is not one Node trusts. */
const UNTRUSTED_CERTIFICATE =
  /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_UNTRUSTED|ERR_TLS_CERT_ALTNAME_INVALID|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID)$/;

/** Why a request did not reach its server, in a word or a few: a system code, an untrusted certificate, the proxy's refusal. */
export function failureWord(error: unknown): Supplied {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const refused = proxyFailure(message);
  if (refused !== null) return ours(refused);
  if (typeof code === 'string' && UNTRUSTED_CERTIFICATE.test(code)) return ours(`${code}: its TLS certificate is not trusted`);
  return systemWord(typeof code === 'string' && code !== '' ? code : 'error');
}

/**
 * One line for a request that did not reach `origin`, naming what to check: the URL setting; with
 * a proxy in the way, the proxy (its origin, never its password) and its variable; for a
 * certificate Node does not trust, NODE_EXTRA_CA_CERTS (a TLS-inspecting proxy's CA).
 */
export function unreachable(
  service: ServiceName,
  origin: string,
  error: unknown,
  route: NetworkRoute,
  setting: Supplied,
): ErrorText {
  const why = failureWord(error);
  const through = route.kind === 'proxy' ? text` through the proxy ${url(route.proxy.origin)}` : text``;
  const check = why.shown.endsWith('not trusted')
    ? ours('If a proxy or firewall inspects TLS, set NODE_EXTRA_CA_CERTS to its CA certificate.')
    : route.kind === 'proxy'
      ? ours(`Check ${route.proxy.setting}.`)
      : text`Check ${setting}.`;
  return text`Cannot reach ${service} at ${url(origin)}${through} (${why}). ${check}`;
}

/**
 * What a failure to reach a URL through a proxy was, in words: hpagent reports a proxy's refusal
 * of the tunnel as `Bad response: <status>`, with no code.
 */
export function proxyFailure(message: unknown): string | null {
  const status = typeof message === 'string' ? /^Bad response: (\d{3})$/.exec(message)?.[1] : undefined;
  if (status === '407') return 'the proxy refused its credentials, HTTP 407';
  if (status !== undefined) return `the proxy answered HTTP ${status}`;
  if (message === 'Proxy timeout') return 'the proxy did not answer in time';
  return null;
}
