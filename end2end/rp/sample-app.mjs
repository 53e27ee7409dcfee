// A small app that signs people in through Portico, built on the npm package openid-client
// (6.x), the way a real relying party would: discovery, the code flow with PKCE, state and
// nonce, the ID token checked, userinfo, refresh, and RP-initiated logout.
//
// node sample-app.mjs  with PORTICO_ISSUER, CLIENT_ID, CLIENT_SECRET (empty: a public client)
// and PORT. It prints "listening" when it serves.
import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';

const issuer = new URL(process.env.PORTICO_ISSUER);
const port = Number(process.env.PORT);
const base = `http://127.0.0.1:${port}`;
const secret = process.env.CLIENT_SECRET || undefined;
const auth = secret ? client.ClientSecretBasic(secret) : client.None();
// Portico runs on plain http on 127.0.0.1 in the tests.
const config = await client.discovery(issuer, process.env.CLIENT_ID, undefined, auth, {
  execute: [client.allowInsecureRequests],
});

/** Per browser: the pending sign-in (verifier, state, nonce) or the signed-in session. */
const sessions = new Map();

function sessionOf(request, response) {
  const cookie = /(?:^|;\s*)rp=([\w-]+)/.exec(request.headers.cookie ?? '')?.[1];
  if (cookie && sessions.has(cookie)) return sessions.get(cookie);
  const id = randomBytes(16).toString('base64url');
  const session = {};
  sessions.set(id, session);
  response.setHeader('set-cookie', `rp=${id}; Path=/; HttpOnly; SameSite=Lax`);
  return session;
}

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function page(response, title, body, status = 200) {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  response.end(`<!doctype html><html lang="en"><head><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`);
}

function redirect(response, location) {
  response.writeHead(303, { location: String(location) });
  response.end();
}

async function signIn(session, response) {
  session.verifier = client.randomPKCECodeVerifier();
  session.state = client.randomState();
  session.nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: `${base}/callback`,
    scope: 'openid email profile groups',
    code_challenge: await client.calculatePKCECodeChallenge(session.verifier),
    code_challenge_method: 'S256',
    state: session.state,
    nonce: session.nonce,
  });
  redirect(response, url);
}

async function callback(session, request, response) {
  const tokens = await client.authorizationCodeGrant(config, new URL(request.url, base), {
    pkceCodeVerifier: session.verifier,
    expectedState: session.state,
    expectedNonce: session.nonce,
  });
  const claims = tokens.claims();
  session.tokens = tokens;
  session.claims = claims;
  session.userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  session.note = 'Signed in.';
  redirect(response, base + '/');
}

async function refresh(session, response) {
  try {
    const tokens = await client.refreshTokenGrant(config, session.tokens.refresh_token);
    session.tokens = tokens;
    session.userinfo = await client.fetchUserInfo(config, tokens.access_token, session.claims.sub);
    session.note = 'Refreshed.';
  } catch (error) {
    session.note = `Refresh failed: ${error.error ?? error.code ?? error.message}`;
  }
  redirect(response, base + '/');
}

function home(session, response) {
  if (!session.claims) {
    return page(response, 'Sample app', `<p>You are not signed in.</p><p><a href="/login">Sign in with Portico</a></p>`);
  }
  const info = session.userinfo;
  page(
    response,
    'Sample app',
    `<p role="status">${escape(session.note ?? '')}</p>
<p>Signed in as <strong data-testid="who">${escape(info.name ?? '')} (${escape(info.email ?? '')})</strong></p>
<p>Groups: <span data-testid="groups">${escape((info.groups ?? []).join(', '))}</span></p>
<pre data-testid="claims">${escape(JSON.stringify(session.claims, null, 2))}</pre>
<p><a href="/refresh">Refresh</a> · <a href="/logout">Sign out</a></p>`,
  );
}

function logout(session, response) {
  const idToken = session.tokens?.id_token;
  sessions.forEach((value, key) => value === session && sessions.delete(key));
  redirect(
    response,
    client.buildEndSessionUrl(config, {
      ...(idToken ? { id_token_hint: idToken } : {}),
      post_logout_redirect_uri: `${base}/signed-out`,
      state: 'bye',
    }),
  );
}

http
  .createServer(async (request, response) => {
    const session = sessionOf(request, response);
    const path = new URL(request.url, base).pathname;
    try {
      if (path === '/') return home(session, response);
      if (path === '/login') return await signIn(session, response);
      if (path === '/callback') return await callback(session, request, response);
      if (path === '/refresh') return await refresh(session, response);
      if (path === '/logout') return logout(session, response);
      if (path === '/signed-out') return page(response, 'Signed out', '<p>You signed out of the sample app and the portal.</p>');
      page(response, 'Not found', '', 404);
    } catch (error) {
      const reason = error.error ?? error.code ?? error.message;
      page(response, 'Sign-in failed', `<p role="alert" data-testid="error">${escape(reason)}</p>`, 400);
    }
  })
  .listen(port, '127.0.0.1', () => console.log('listening'));
