/**
 * A council identity provider for tests: oidc-provider on a free localhost port,
 * with one confidential client for the hub. Whoever the test names as `subject`
 * is signed in at once (no login form), and the helper follows the provider's
 * redirects, with its cookies, up to the hub's callback address.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { OidcConfig } from '../../../src/hub/config.ts';

export interface IdentityProvider {
  /** The hub's settings for this provider. */
  config: OidcConfig;
  /** The subject the next sign-in at the provider is for. */
  subject: string;
  /**
   * Opens the authorization address the hub sent the browser to, signs `subject`
   * in, and returns the callback address the provider sends the browser back to.
   */
  authorize(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

const clientId = 'family-hub-learning';
const clientSecret = 'a-long-client-secret-for-tests-only-0123456789';

export async function startIdentityProvider(callbackUrl: string): Promise<IdentityProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  const idp: IdentityProvider = {
    config: { issuer, clientId, clientSecret },
    subject: 'nobody',
    authorize: async (authorizationUrl) => {
      const jar = new Map<string, string>();
      let url = new URL(authorizationUrl);
      for (let hop = 0; hop < 10; hop++) {
        if (url.href.startsWith(callbackUrl)) return url;
        const response = await fetch(url, { redirect: 'manual', headers: { Cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') } });
        for (const line of response.headers.getSetCookie()) {
          const [pair = ''] = line.split(';');
          const at = pair.indexOf('=');
          jar.set(pair.slice(0, at), pair.slice(at + 1));
        }
        const location = response.headers.get('Location');
        if (!location) throw new Error(`the identity provider answered ${response.status} at ${url.pathname}: ${await response.text()}`);
        url = new URL(location, url);
      }
      throw new Error('the identity provider redirected too many times');
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [callbackUrl],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    findAccount: (_, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    pkce: { required: () => true },
    // Distinct from the hub's cookie names: cookies on localhost are shared across ports.
    cookies: { names: { session: 'idp_session', interaction: 'idp_interaction', resume: 'idp_resume' }, keys: ['test-cookie-key'] },
    interactions: { url: (_, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
  });
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return void callback(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: idp.subject, clientId: String(details.params.client_id) });
      grant.addOIDCScope('openid');
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId: idp.subject }, consent: { grantId } }, { mergeWithLastSubmission: false });
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  return idp;
}

/** A localhost address where nothing listens: an identity provider that is down. */
export async function deadAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://localhost:${port}`;
}
