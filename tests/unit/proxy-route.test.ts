/** Which requests go through which proxy: the `*_PROXY` and `NO_PROXY` rules, as curl and Python's libraries read them. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { AppError } from '../../src/domain/errors.js';
import { failureWord } from '../../src/adapters/http/network-failure.js';
import { proxyConfigured, routeTo, type NetworkRoute } from '../../src/adapters/http/proxy-route.js';

const VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'];

afterEach(() => {
  for (const name of VARIABLES) delete process.env[name];
});

function setEnv(values: Record<string, string>): void {
  Object.assign(process.env, values);
}

async function via(url: string): Promise<string> {
  const route: NetworkRoute = await routeTo(new URL(url));
  return route.kind === 'direct' ? 'direct' : `${route.proxy.origin} (${route.proxy.setting})`;
}

describe('the route to a URL', () => {
  it('is direct, with nothing loaded, when no proxy variable is set (or only NO_PROXY)', async () => {
    expect(proxyConfigured()).toBe(false);
    setEnv({ NO_PROXY: '*', HTTPS_PROXY: '  ' });
    expect(proxyConfigured()).toBe(false);
    expect(await via('https://api.arcade.dev/v1/workers')).toBe('direct');
  });

  it('takes HTTPS_PROXY for https, HTTP_PROXY for http, ALL_PROXY for either, lower case first', async () => {
    setEnv({ HTTPS_PROXY: 'http://secure.corp:3128', HTTP_PROXY: 'http://plain.corp:8080' });
    expect(await via('https://api.arcade.dev')).toBe('http://secure.corp:3128 (HTTPS_PROXY)');
    expect(await via('http://localhost:9099')).toBe('http://plain.corp:8080 (HTTP_PROXY)');
    setEnv({ https_proxy: 'http://lower.corp:3128' });
    expect(await via('https://api.arcade.dev')).toBe('http://lower.corp:3128 (HTTPS_PROXY)');
    for (const name of VARIABLES) delete process.env[name];
    setEnv({ ALL_PROXY: 'http://all.corp:3128' });
    expect(await via('https://us.i.posthog.com')).toBe('http://all.corp:3128 (ALL_PROXY)');
  });

  it('takes a proxy named without a scheme as an http proxy, and an https proxy as one', async () => {
    setEnv({ HTTPS_PROXY: 'proxy.corp:3128' });
    expect(await via('https://api.arcade.dev')).toBe('http://proxy.corp:3128 (HTTPS_PROXY)');
    setEnv({ HTTPS_PROXY: 'https://tls-proxy.corp' });
    expect(await via('https://api.arcade.dev')).toBe('https://tls-proxy.corp (HTTPS_PROXY)');
  });

  it.each([
    ['api.arcade.dev', 'https://api.arcade.dev', 'direct'],
    ['arcade.dev (a bare domain covers its subdomains)', 'https://api.arcade.dev', 'direct'],
    ['arcade.dev (but not another domain ending the same)', 'https://notarcade.dev', 'proxy'],
    ['.arcade.dev', 'https://cloud.arcade.dev', 'direct'],
    ['*.arcade.dev', 'https://cloud.arcade.dev', 'direct'],
    ['*', 'https://anything.example', 'direct'],
    ['localhost, 127.0.0.1', 'http://127.0.0.1:9099', 'direct'],
    ['api.arcade.dev:8443', 'https://api.arcade.dev', 'proxy'],
    ['api.arcade.dev:443', 'https://api.arcade.dev', 'direct'],
    ['arcade.dev:8443', 'https://api.arcade.dev', 'proxy'],
    ['arcade.dev:443', 'https://api.arcade.dev', 'direct'],
    ['ARCADE.DEV', 'https://api.arcade.dev', 'direct'],
    ['other.example', 'https://api.arcade.dev', 'proxy'],
  ])('NO_PROXY=%s for %s: %s', async (noProxy, url, expected) => {
    setEnv({ HTTPS_PROXY: 'http://proxy.corp:3128', HTTP_PROXY: 'http://proxy.corp:3128', NO_PROXY: noProxy.split(' (')[0] });
    expect((await via(url)) === 'direct' ? 'direct' : 'proxy').toBe(expected);
  });

  it('tunnels with an agent for the target protocol, shared by every request to it', async () => {
    setEnv({ HTTPS_PROXY: 'http://user:pa%3Ass@proxy.corp:3128', HTTP_PROXY: 'http://user:pa%3Ass@proxy.corp:3128' });
    const https = await routeTo(new URL('https://api.arcade.dev'));
    const http = await routeTo(new URL('http://engine.local:9099'));
    if (https.kind !== 'proxy' || http.kind !== 'proxy') throw new Error('expected proxy routes');
    expect(https.agent).toBeInstanceOf(HttpsProxyAgent);
    expect(http.agent).toBeInstanceOf(HttpProxyAgent);
    expect(https.proxy.origin).toBe('http://proxy.corp:3128'); // never the user or password
    const again = await routeTo(new URL('https://cloud.arcade.dev'));
    expect(again.kind === 'proxy' && again.agent).toBe(https.agent);
  });

  it('refuses a proxy variable that is not an http(s) URL, naming the variable and never its value', async () => {
    for (const bad of ['socks5://user:hunter2@127.0.0.1:1080', 'http://user:hunter2@', '://']) {
      setEnv({ HTTPS_PROXY: bad });
      const failure = routeTo(new URL('https://api.arcade.dev'));
      await expect(failure).rejects.toThrow(AppError);
      await expect(failure).rejects.toThrow('HTTPS_PROXY is not an http(s) proxy URL, such as http://proxy.example.com:3128.');
      await expect(failure).rejects.toMatchObject({ code: 'invalid-url', sent: expect.not.stringContaining('hunter2') });
    }
  });
});

describe('why a request did not arrive, in words', () => {
  it("reads hpagent's refusals of the tunnel, untrusted certificates and system codes", () => {
    expect(failureWord(new Error('Bad response: 407')).shown).toBe('the proxy refused its credentials, HTTP 407');
    expect(failureWord(new Error('Bad response: 502')).shown).toBe('the proxy answered HTTP 502');
    expect(failureWord(new Error('Proxy timeout')).shown).toBe('the proxy did not answer in time');
    expect(failureWord(Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' })).shown).toBe(
      'SELF_SIGNED_CERT_IN_CHAIN: its TLS certificate is not trusted',
    );
    expect(failureWord(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toEqual({
      shown: 'ECONNREFUSED',
      sent: 'ECONNREFUSED',
    });
    expect(failureWord(new Error('no code')).shown).toBe('error');
  });
});
