/** The URL-secret rule: which parts of a URL are secrets, and hiding them in any text. */
import { describe, expect, it } from 'vitest';
import { errorMessage } from './error-message.js';
import { isSecretParamName, redactUrlSecrets, urlSecrets } from './url-secrets.js';

describe('isSecretParamName', () => {
  it.each([
    'token',
    'auth_token',
    'access_token',
    'api_key',
    'apiKey',
    'api-key',
    'X-Amz-Signature',
    'key',
    'sig',
    'password',
    'client_secret',
    'auth%5Ftoken',
  ])('%s is a secret', (name) => {
    expect(isSecretParamName(name)).toBe(true);
  });

  it.each(['query', 'time', 'step', 'match[]', 'monkey', 'service', 'q'])('%s is not', (name) => {
    expect(isSecretParamName(name)).toBe(false);
  });
});

describe('redactUrlSecrets', () => {
  it('hides a password and token-like parameter values, keeping where the request went', () => {
    expect(
      redactUrlSecrets(
        'connect to http://ops:hunter2@prom.example:9090/api/v1/query?query=up&auth_token=abc123 failed',
      ),
    ).toBe(
      'connect to http://ops:<redacted>@prom.example:9090/api/v1/query?query=up&auth_token=<redacted> failed',
    );
  });

  it('hides a lone user name whole: it is often a token itself', () => {
    expect(redactUrlSecrets('https://ghp_0123456789@git.example/x')).toBe(
      'https://<redacted>@git.example/x',
    );
  });

  it('leaves URLs without secrets and text without URLs alone, and is idempotent', () => {
    const plain = 'GET http://127.0.0.1:9/metrics?match[]=up answered 503';
    expect(redactUrlSecrets(plain)).toBe(plain);
    expect(redactUrlSecrets('token=abc outside a URL')).toBe('token=abc outside a URL');
    const once = redactUrlSecrets('"http://a:b@h/?token=t" and https://h2/?api_key=k');
    expect(once).toBe(
      '"http://a:<redacted>@h/?token=<redacted>" and https://h2/?api_key=<redacted>',
    );
    expect(redactUrlSecrets(once)).toBe(once);
  });

  it('is what errorMessage says of an error quoting a URL', () => {
    const err = new TypeError(
      'Request cannot be constructed from a URL that includes credentials: http://u:PW@h/api',
    );
    expect(errorMessage(err)).toBe(
      'Request cannot be constructed from a URL that includes credentials: http://u:<redacted>@h/api',
    );
  });
});

describe('urlSecrets', () => {
  it('names the secret parts and what they hide, or nothing', () => {
    expect(urlSecrets('https://u:p@host/x?auth_token=abc&q=1')).toEqual({
      userinfo: 'u:p',
      params: ['auth_token'],
      hidden: ['u:p', 'abc'],
    });
    expect(urlSecrets('https://host/x?q=1')).toBeUndefined();
    expect(urlSecrets('not a url')).toBeUndefined();
  });
});
