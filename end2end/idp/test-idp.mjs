// The test identity provider for the federation specs: the npm package oidc-provider with its
// built-in login form (any address, any password). Addresses starting with "unverified-" come
// back with email_verified false. A login typed as "<address>#mfa" signs in as <address> with
// `amr: ["pwd", "mfa"]` (the dev login itself sets no amr). Prints "listening" once it accepts
// connections.
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const redirectUri = process.env.PORTICO_REDIRECT_URI;
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'portico',
      client_secret: 'e2e-identity-provider-secret',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  cookies: { keys: ['e2e-identity-provider-cookie-key'] },
  // `amr` is in the ID token only when a requested scope names it.
  claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
  async findAccount(_ctx, id) {
    const email = id.toLowerCase();
    return {
      accountId: id,
      async claims() {
        return {
          sub: `sub-${email}`,
          email,
          email_verified: !email.startsWith('unverified-'),
          name: email.split('@')[0].replace(/[-.]/g, ' '),
        };
      },
    };
  },
  // Portico is a first-party client here: no consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

// The dev login form finishes its interaction through this method of the provider: a login
// marked "#mfa" becomes the address alone, with the methods a second factor leaves in `amr`.
const finish = provider.interactionFinished.bind(provider);
provider.interactionFinished = (req, res, result, options) => {
  const id = result?.login?.accountId;
  if (typeof id === 'string' && id.endsWith('#mfa')) {
    result.login.accountId = id.slice(0, -'#mfa'.length);
    result.login.amr = ['pwd', 'mfa'];
  }
  return finish(req, res, result, options);
};

provider.listen(port, '127.0.0.1', () => console.log('listening'));
