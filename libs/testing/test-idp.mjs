// A real OpenID Provider (oidc-provider) for the tests, run as its own Node process: it is
// ESM-only, and Jest on Node 20 cannot load it through its module registry. libs/testing's
// startTestIdp() forks this file and talks to it over the IPC channel:
//   parent -> { type: 'keys', keys: [private JWKs] }   (again for each rotation)
//   child  -> { type: 'listening', port } once, then { type: 'ready' } after each key set.
// Clients register themselves (dynamic registration) with the Watchfloor claims they should
// carry, then take an access token with the client_credentials grant: a JWT (RFC 9068)
// signed with the first key of the current set, for the one resource server, Watchfloor.
// People sign in with the authorization code flow (PKCE is required of public clients) on
// oidc-provider's development login and consent pages: the login is the account's `sub`, any
// password does, and their access tokens carry the claims WF_IDP_ACCOUNTS gives that account.
import { createServer } from 'node:http';
import Provider, { errors } from 'oidc-provider';

const audience = process.env.WF_IDP_AUDIENCE ?? 'watchfloor';
const resource = process.env.WF_IDP_RESOURCE ?? 'https://api.watchfloor.test';
const accessTokenTTL = Number(process.env.WF_IDP_ACCESS_TOKEN_TTL ?? 300);
// sub -> { name, roles, jurisdiction, clearance, org }
const accounts = JSON.parse(process.env.WF_IDP_ACCOUNTS ?? '{}');

let handle = (_request, response) => response.writeHead(503).end('no keys yet');
const server = createServer((request, response) => handle(request, response));

function configure(issuer, keys) {
  const next = new Provider(issuer, {
    jwks: { keys },
    features: {
      // The development login and consent pages (any password), for a browser test to fill in.
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      clientCredentials: { enabled: true },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new errors.InvalidTarget();
          return { scope: 'watchfloor', audience, accessTokenTTL, accessTokenFormat: 'jwt', jwt: { sign: { alg: keys[0].alg } } };
        },
      },
    },
    // Each test caller is a client that carries its claims (roles, jurisdiction, clearance, org, name, sub).
    extraClientMetadata: {
      properties: ['watchfloor_claims'],
      validator: (_ctx, key, value) => {
        if (key === 'watchfloor_claims' && value !== undefined && (typeof value !== 'object' || value === null)) {
          throw new errors.InvalidClientMetadata('watchfloor_claims must be an object');
        }
      },
    },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, name: accounts[sub]?.name ?? sub }) }),
    // A person's token carries their account's claims; a client's, those it registered with.
    extraTokenClaims: (ctx, token) => {
      const { sub: _sub, ...claims } = (token.accountId ? accounts[token.accountId] : ctx.oidc.client.watchfloor_claims) ?? {};
      return claims;
    },
    formats: {
      customizers: {
        // A client_credentials token's subject is the client id; a test may name its caller.
        jwt: (ctx, token, jwt) => {
          if (token.accountId) return;
          const sub = ctx.oidc.client.watchfloor_claims?.sub;
          if (typeof sub === 'string') jwt.payload.sub = sub;
        },
      },
    },
  });
  const callback = next.callback();
  handle = (request, response) => callback(request, response);
}

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  process.on('message', (message) => {
    if (message?.type !== 'keys') return;
    configure(issuer, message.keys);
    process.send({ type: 'ready' });
  });
  process.send({ type: 'listening', port });
});

// The parent going away ends the provider too.
process.on('disconnect', () => {
  server.close();
  process.exit(0);
});
