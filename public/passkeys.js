// Passkeys: the browser's part of a WebAuthn ceremony, for forms marked
// data-passkey="create" (adding a key) or data-passkey="get" (using one). On submit it asks the
// server for the options (data-passkey-options, a server function answering JSON), lets the
// browser make or use the key, puts the challenge's id and the answer in the form's hidden
// fields, and sends the form on as it would have gone (the app's own form handling included).
// Everything that checks the key happens on the server, with webauthn-rs.
(() => {
  if (window.porticoPasskeys) return;
  window.porticoPasskeys = true;
  if (!window.PublicKeyCredential || !navigator.credentials) return;
  // Shows what only works with passkeys, and hides what says they are missing (see main.css).
  document.documentElement.dataset.passkeys = 'yes';

  const bytes = (text) =>
    Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
  const text = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer)))
      .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const withIds = (list) => (list || []).map((key) => ({ ...key, id: bytes(key.id) }));

  // Browsers from 2024 on read and write these forms themselves; older ones get the same by hand.
  const creationOptions = (o) =>
    PublicKeyCredential.parseCreationOptionsFromJSON
      ? PublicKeyCredential.parseCreationOptionsFromJSON(o)
      : { ...o, challenge: bytes(o.challenge), user: { ...o.user, id: bytes(o.user.id) },
          excludeCredentials: withIds(o.excludeCredentials) };
  const requestOptions = (o) =>
    PublicKeyCredential.parseRequestOptionsFromJSON
      ? PublicKeyCredential.parseRequestOptionsFromJSON(o)
      : { ...o, challenge: bytes(o.challenge), allowCredentials: withIds(o.allowCredentials) };
  const answerOf = (credential) => {
    if (typeof credential.toJSON === 'function') return credential.toJSON();
    const r = credential.response;
    const response = r.attestationObject
      ? { attestationObject: text(r.attestationObject), clientDataJSON: text(r.clientDataJSON),
          transports: r.getTransports ? r.getTransports() : [] }
      : { authenticatorData: text(r.authenticatorData), clientDataJSON: text(r.clientDataJSON),
          signature: text(r.signature), userHandle: r.userHandle ? text(r.userHandle) : null };
    return { id: credential.id, rawId: text(credential.rawId), type: credential.type, response,
             clientExtensionResults: credential.getClientExtensionResults() };
  };

  const ceremony = async (form) => {
    const reply = await fetch(form.dataset.passkeyOptions, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: '',
    });
    if (!reply.ok) throw new Error(`options: ${reply.status}`);
    const { challenge, options } = await reply.json();
    const { publicKey } = JSON.parse(options);
    const credential = form.dataset.passkey === 'create'
      ? await navigator.credentials.create({ publicKey: creationOptions(publicKey) })
      : await navigator.credentials.get({ publicKey: requestOptions(publicKey) });
    form.elements.namedItem('challenge').value = challenge;
    form.elements.namedItem('credential').value = JSON.stringify(answerOf(credential));
  };

  // In the capture phase on window, so it runs before the app's own submit handling.
  window.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.passkey) return;
    const answer = form.elements.namedItem('credential');
    if (answer.value) {
      // Answered: the form goes now; a second try needs a new challenge.
      setTimeout(() => { answer.value = ''; }, 0);
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!form.reportValidity()) return;
    const problem = form.querySelector('[data-passkey-problem]');
    if (problem) problem.hidden = true;
    ceremony(form).then(
      () => form.requestSubmit(event.submitter || undefined),
      (error) => {
        console.info('passkey ceremony ended:', error);
        if (problem) problem.hidden = false;
      },
    );
  }, true);
})();
