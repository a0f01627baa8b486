import type {
  AuthorizationRequest,
  AuthorizationResult,
  BrowserLogin,
  OAuthAuthorizationRequest,
  OAuthAuthorizationResult,
} from '../../domain/ports/browser-login.js';

export class MemoryBrowserLogin implements BrowserLogin {
  result: AuthorizationResult = { kind: 'timed-out' };
  oauthResult: OAuthAuthorizationResult = { kind: 'timed-out' };
  readonly requests: AuthorizationRequest[] = [];

  async authorizeOAuth(request: OAuthAuthorizationRequest): Promise<OAuthAuthorizationResult> {
    this.requests.push(request);
    request.onLoginUrl(`${request.config.authorizationEndpoint}?state=test`);
    return this.oauthResult;
  }

  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    this.requests.push(request);
    request.onLoginUrl('https://cloud.example/api/v1/auth/cli_login?state=test');
    return this.result;
  }
}
