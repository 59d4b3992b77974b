// A real OpenID provider for the sign-in tests: node-oidc-provider, two issuers on one port.
//
//   /idporten                  an ID-porten-like issuer: acr levels, `pid`, no e-mail
//   /entra/organizations/v2.0  a multi-tenant Entra-ID-like issuer: discovery names the issuer
//                              ".../entra/{tenantid}/v2.0" and each ID token is issued by the
//                              tenant of the person (`tid`), as Microsoft's "organizations" does
//
// Usage: node provider.mjs PORT CONFIG_JSON
//   CONFIG_JSON: {"clients": {"idporten": {...client metadata}, "entra": {...}}}
// Test-only endpoints (the tests play the person at the provider):
//   POST /_test/accounts  {"id", "claims": {...}, "acr"?, "forge"?: "signature"|"nonce"}
//   GET  /<issuer>/interaction/<uid>   the sign-in form; POST it with account=<id>
// It prints "ready <port>" on stdout when it listens.
import http from 'node:http';
import { generateKeyPair, exportJWK, decodeJwt, decodeProtectedHeader, importJWK, SignJWT } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const config = JSON.parse(process.argv[3] || '{}');
const base = `http://127.0.0.1:${port}`;
const accounts = new Map();

async function signingKey(kid) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>`
    + '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
    + `<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

// A redirect back to the app is allowed when its path is the registered one: the tests' app
// servers listen on ports chosen at run time (live_server) or on "testserver" (test client).
function samePath(registered, value) {
  try {
    const wanted = new URL(value);
    return registered.some((uri) => new URL(uri).pathname === wanted.pathname);
  } catch {
    return false;
  }
}

async function makeIssuer({ name, path, clients, claims, acrValues, scopes, issuerShown }) {
  const key = await signingKey(`${name}-1`);
  const provider = new Provider(`${base}${path}`, {
    clients,
    jwks: { keys: [key] },
    claims,
    scopes,
    acrValues,
    conformIdTokenClaims: false, // ID-porten and Entra put the person's claims in the ID token
    cookies: {
      keys: [`${name}-cookie-key`],
      names: { session: `${name}_session`, interaction: `${name}_interaction`, resume: `${name}_resume` },
    },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page('Sign out', `${form}<p>Sign out of ${name}?</p>`
            + '<button form="op.logoutForm" type="submit" name="logout" value="yes">Yes, sign out</button>');
        },
        postLogoutSuccessSource: async (ctx) => { ctx.body = page('Signed out', ''); },
      },
    },
    interactions: { url: (ctx, interaction) => `${path}/interaction/${interaction.uid}` },
    findAccount: async (ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Error', `<pre>${escape(JSON.stringify(out))}</pre>`);
    },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });
  const allowed = (registered) => function allowed(value) { return samePath(registered, value); };
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
    return allowed(this.redirectUris)(value);
  };
  provider.Client.prototype.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(value) {
    return allowed(this.postLogoutRedirectUris || [])(value);
  };

  // Tamper with an ID token when the test asks (to show the app checks), and issue Entra's
  // tokens from the person's tenant.
  const privateKey = await importJWK(key, 'RS256');
  const strangerKey = (await generateKeyPair('RS256')).privateKey;
  provider.use(async (ctx, next) => {
    if (ctx.path === '/session/end' && issuerShown && ctx.query.id_token_hint) {
      // The hint is a token this issuer gave out in a tenant's name: read it as its own.
      const hint = ctx.query.id_token_hint;
      const claims = { ...decodeJwt(hint), iss: provider.issuer };
      const header = decodeProtectedHeader(hint);
      const resigned = await new SignJWT(claims).setProtectedHeader(header).sign(privateKey);
      ctx.query = { ...ctx.query, id_token_hint: resigned };
      ctx.req.originalUrl = `${path}${ctx.url}`; // where the provider reads its mount path
    }
    await next();
    if (ctx.path === '/.well-known/openid-configuration' && issuerShown) {
      ctx.body = { ...ctx.body, issuer: issuerShown('{tenantid}') };
    }
    if (ctx.path === '/token' && ctx.body && ctx.body.id_token) {
      const claims = decodeJwt(ctx.body.id_token);
      const header = decodeProtectedHeader(ctx.body.id_token);
      const account = accounts.get(claims.sub) || {};
      if (!issuerShown && !account.forge) return;
      if (issuerShown) claims.iss = issuerShown(claims.tid);
      if (account.forge === 'nonce') claims.nonce = 'not-the-nonce-that-was-sent';
      const signer = account.forge === 'signature' ? strangerKey : privateKey;
      ctx.body = { ...ctx.body, id_token: await new SignJWT(claims).setProtectedHeader(header).sign(signer) };
    }
  });

  async function interaction(req, res) {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(page(`Sign in with ${name}`,
        `<form method="post"><label for="account">Test person</label> `
        + '<input id="account" name="account" autocomplete="off" required> '
        + '<button type="submit">Sign in</button></form>'));
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    const accountId = form.get('account');
    const account = accounts.get(accountId);
    if (!account) {
      res.statusCode = 400;
      res.end(page('Unknown test person', ''));
      return;
    }
    const { params } = details;
    const grant = new provider.Grant({ accountId, clientId: params.client_id });
    grant.addOIDCScope(params.scope);
    const requestedAcr = String(params.acr_values || '').split(' ').filter(Boolean)[0];
    await provider.interactionFinished(req, res, {
      login: { accountId, acr: account.acr || requestedAcr, amr: ['pwd'] },
      consent: { grantId: await grant.save() },
    }, { mergeWithLastSubmission: false });
  }

  const callback = provider.callback();
  return {
    path,
    async handle(req, res) {
      const rest = req.url.slice(path.length) || '/';
      if (rest.startsWith('/interaction/')) return interaction(req, res);
      req.originalUrl = req.url;
      req.url = rest;
      return callback(req, res);
    },
  };
}

const issuers = [
  await makeIssuer({
    name: 'idporten',
    path: '/idporten',
    clients: [config.clients.idporten],
    scopes: ['openid', 'profile'],
    claims: { acr: null, amr: null, auth_time: null, openid: ['sub'], profile: ['pid', 'locale'] },
    acrValues: ['idporten-loa-low', 'idporten-loa-substantial', 'idporten-loa-high'],
  }),
  await makeIssuer({
    name: 'entra',
    path: '/entra/organizations/v2.0',
    clients: [config.clients.entra],
    scopes: ['openid', 'profile', 'email'],
    claims: {
      auth_time: null,
      openid: ['sub', 'tid', 'oid', 'groups'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified', 'xms_edov'],
    },
    acrValues: [],
    issuerShown: (tenant) => `${base}/entra/${tenant}/v2.0`,
  }),
];

const server = http.createServer(async (req, res) => {
  try {
    if (req.method === 'POST' && req.url === '/_test/accounts') {
      const account = JSON.parse(await readBody(req));
      accounts.set(account.id, { claims: {}, ...account });
      res.statusCode = 204;
      res.end();
      return;
    }
    const issuer = issuers.find((i) => req.url === i.path || req.url.startsWith(`${i.path}/`));
    if (issuer) return await issuer.handle(req, res);
    res.statusCode = 404;
    res.end('not found');
  } catch (error) {
    console.error(error);
    res.statusCode = 500;
    res.end(page('Error', escape(error.message)));
  }
});
server.listen(port, '127.0.0.1', () => { console.log(`ready ${port}`); });
