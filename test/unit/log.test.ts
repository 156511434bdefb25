import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { createLogger, scrub, scrubString } from '../../src/log';

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, logger: createLogger({ destination: stream }) };
}

describe('logger redaction', () => {
  it('scrubs JWTs and bearer values anywhere in a string', () => {
    assert.equal(scrubString(`token ${JWT} end`), 'token [redacted] end');
    assert.equal(scrubString('Authorization: Bearer abcdefghijklmnop'), 'Authorization: Bearer [redacted]');
  });

  // Most strings hold no sign of a secret and are passed by at once; each sign in any case still
  // leads to the patterns (a lower-case %3d, BEARER and BASIC in capitals, a quoted JSON member).
  it('scrubs a secret whose only sign is written in another case', () => {
    assert.equal(scrubString('next refresh_token%3d0.AXkAopaque'), 'next refresh_token%3d[redacted]');
    assert.equal(scrubString('AUTHORIZATION: BEARER abcdefghijklmnop'), 'AUTHORIZATION: BEARER [redacted]');
    assert.equal(scrubString('proxy BASIC dXNlcjpwYXNzd29yZA'), 'proxy BASIC [redacted]');
    assert.equal(scrubString('{"access_token":"opaque.value"}'), '{"access_token":"[redacted]"}');
    assert.equal(scrubString(`quiet ${JWT}`), 'quiet [redacted]');
    assert.equal(scrubString('6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b'), '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b');
  });

  it('scrubs secrets written as form fields or query parameters, which are not JWT-shaped', () => {
    const body = 'grant_type=refresh_token&refresh_token=0.AXkA-opaque~value&client_secret=Abc8Q~s3cr3t.value&scope=x';
    const said = scrubString(`token request failed: ${body}`);
    assert.doesNotMatch(said, /opaque|s3cr3t/, said);
    assert.match(said, /refresh_token=\[redacted\]&client_secret=\[redacted\]&scope=x/, said);
    assert.match(scrubString('redirect ?code=0.AQcode-value&state=s1'), /code=\[redacted\]&state=s1/);
    // Names that only end in one of those words are left alone.
    assert.equal(scrubString('errorCode=NOT_FOUND'), 'errorCode=NOT_FOUND');
  });

  // A code= that is not an authorization code (an HTTP status, a Graph error code) is useful text:
  // the authorization code travels only as a query parameter of the redirect or a field of the
  // token request's form body (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow),
  // and Graph's error body names its own "code" (https://learn.microsoft.com/graph/errors).
  it('leaves a code= or "code" that is not an authorization code alone', () => {
    assert.equal(scrubString('Graph answered status code=400'), 'Graph answered status code=400');
    assert.equal(scrubString('refused: error code=Forbidden'), 'refused: error code=Forbidden');
    const body = '{"error":{"code":"Request_ResourceNotFound","message":"not found"}}';
    assert.equal(scrubString(body), body);
    assert.match(scrubString('POST /token body code=0.AQsecret&grant_type=authorization_code'), /secret/);
    assert.doesNotMatch(scrubString('client_id=c&code=0.AQsecret&grant_type=authorization_code'), /secret/);
    assert.doesNotMatch(scrubString('https://h/cb#code=0.AQsecret&state=s'), /secret/);
    // A form body quoted on a line of its own in a longer message starts that line.
    const quoted = 'token request failed:\ncode=0.AQsecret&grant_type=authorization_code';
    assert.equal(scrubString(quoted), 'token request failed:\ncode=[redacted]&grant_type=authorization_code');
    assert.equal(scrubString('refused\nstatus code=400'), 'refused\nstatus code=400');
  });

  // The token endpoint answers JSON (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow):
  // an error message that quotes it (or quotes it again, escaped) carries an opaque refresh token;
  // a URL quoted inside another URL carries its query URL-encoded.
  it('scrubs a secret quoted as JSON or URL-encoded inside a string', () => {
    const said = scrubString('failed: {"refresh_token": "0.AXkA-opaque", "client_secret":"Abc8Q~s3cr3t"}');
    assert.doesNotMatch(said, /opaque|s3cr3t/, said);
    assert.match(said, /"refresh_token": "\[redacted\]"/, said);
    assert.doesNotMatch(scrubString('{\\"refresh_token\\":\\"0.AXkA-opaque\\"}'), /opaque/);
    const nested = 'next=https%3A%2F%2Fh%2Fcb%3Fcode%3D0.AQsecret%26state%3D1';
    assert.equal(scrubString(nested), 'next=https%3A%2F%2Fh%2Fcb%3Fcode%3D[redacted]%26state%3D1');
    assert.doesNotMatch(scrubString('body=grant_type%3Dx%26refresh_token%3D0.AXkAopaque%26scope%3Dy'), /opaque/);
  });

  // A Shared Access Signature carries its signature as the `sig` query parameter and a storage
  // connection string its key as `AccountKey=` or its SAS as `SharedAccessSignature=`
  // (https://learn.microsoft.com/azure/storage/common/storage-sas-overview,
  // https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string): an Azure
  // SDK error quoting the request URL, or a connection string in a message, would carry them.
  it('scrubs a SAS signature and a storage account key or SAS in a connection string', () => {
    const url =
      'https://acct.blob.core.windows.net/state/x.json?sv=2022-11-02&ss=bq&srt=sco&sp=rwdlacup&se=2026-12-01T00:00:00Z&sig=AbC%2Bd3f%2Fs3cr3tSig%3D';
    const said = scrubString(`PUT ${url} failed`);
    assert.doesNotMatch(said, /s3cr3tSig/, said);
    assert.match(said, /sp=rwdlacup&se=2026-12-01T00:00:00Z&sig=\[redacted\] failed/, said);
    const shared =
      'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyS2V5+/s3cr3tKey==;EndpointSuffix=core.windows.net';
    assert.equal(
      scrubString(shared),
      'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[redacted];EndpointSuffix=core.windows.net',
    );
    const sas =
      'BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&sig=s3cr3tSig%3D';
    assert.doesNotMatch(scrubString(sas), /s3cr3t/, scrubString(sas));
    // URL-encoded inside another URL, and as JSON members or object keys.
    assert.doesNotMatch(scrubString('next=https%3A%2F%2Fa%2Fb%3Fsv%3D1%26sig%3Ds3cr3tSig%253D'), /s3cr3t/);
    assert.doesNotMatch(scrubString('{"accountKey":"s3cr3tKey==","sig":"s3cr3tSig"}'), /s3cr3t/);
    const keyed = JSON.stringify(
      scrub({ accountKey: 'k1', connectionString: 'AccountKey=k2', sharedAccessSignature: 'k3' }),
    );
    assert.doesNotMatch(keyed, /k1|k2|k3/, keyed);
    // A word that only ends in "sig" and a plain account name stay.
    assert.equal(scrubString('AccountName=acct;mysig=1'), 'AccountName=acct;mysig=1');
  });

  // Secrets the bot holds under these names: the bot's password (config.bot.appPassword), the
  // on-behalf-of request's assertion (MSAL's oboAssertion), a PKCE verifier kept with a sign-in
  // state (codeVerifier, https://datatracker.ietf.org/doc/html/rfc7636#section-4.1), a client
  // assertion or private key, a SAS token. None of them need be JWT-shaped.
  it('censors the secrets the bot holds under camel-case names', () => {
    const out = JSON.stringify(
      scrub({
        appPassword: 'Abc8Q~s3cr3t1',
        request: { oboAssertion: 'opaque-s3cr3t2', clientAssertion: 's3cr3t3' },
        binding: { codeVerifier: 's3cr3t4-verifier', state: 'kept' },
        privateKey: 's3cr3t5',
        sasToken: 'sv=1&s3cr3t6',
        key: 'signIn/0f1e',
      }),
    );
    assert.doesNotMatch(out, /s3cr3t/, out);
    assert.match(out, /"state":"kept"/);
    assert.match(out, /"key":"signIn\/0f1e"/);
  });

  // Azure Storage's Shared Key scheme signs each request: "Authorization: SharedKey
  // <account>:<signature>" (https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key).
  it('scrubs a Shared Key authorization as it does a bearer one', () => {
    assert.equal(
      scrubString('Authorization: SharedKey acct:ZmFrZS1zaWduYXR1cmUtdmFsdWU= x'),
      'Authorization: SharedKey [redacted] x',
    );
    assert.equal(scrubString('SharedKeyLite acct:ZmFrZS1zaWduYXR1cmU='), 'SharedKeyLite [redacted]');
  });

  it('scrubs a long string in linear time, whatever it holds', () => {
    for (const s of ['eyJ'.repeat(100_000), 'eyJ'.repeat(50_000) + '.' + 'eyJ'.repeat(50_000)]) {
      const started = process.hrtime.bigint();
      scrubString(s);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.ok(ms < 500, `${s.length} characters took ${ms} ms`);
    }
    // Still a JWT wherever it sits among other token characters.
    assert.equal(scrubString(`a.b${JWT}.x`), 'a.b[redacted].x');
    assert.equal(scrubString(`eyJab.${JWT}`), 'eyJab.[redacted]');
  });

  it('censors secret keys at any depth and in errors', () => {
    const out = scrub({
      headers: { Authorization: 'Bearer x', 'client-request-id': 'c' },
      nested: [{ client_secret: 's3cret', access_token: 'abc', ok: 'fine' }],
      err: new Error(`failed with ${JWT}`),
    }) as Record<string, unknown>;
    const text = JSON.stringify(out);
    assert.doesNotMatch(text, /s3cret|Bearer x|eyJ/);
    assert.match(text, /fine/);
    assert.match(text, /"client-request-id":"c"/);
  });

  it('keeps the cause and status of an error, scrubbed, and never its request', () => {
    const refused = Object.assign(new Error(`connector refused ${JWT}`), {
      statusCode: 500,
      code: 'ServiceError',
      request: { headers: { authorization: 'Bearer abcdefghijklmnop' } },
    });
    const out = scrub(new Error('the answer could not be sent', { cause: refused })) as {
      cause?: { message?: string; statusCode?: number; code?: string };
    };
    assert.equal(out.cause?.statusCode, 500);
    assert.equal(out.cause?.code, 'ServiceError');
    assert.equal(out.cause?.message, 'connector refused [redacted]');
    assert.doesNotMatch(JSON.stringify(out), /abcdefghijklmnop|eyJ|request/);
  });

  it('writes JSON lines without any token', () => {
    const { lines, logger } = capture();
    logger.info({ assertion: JWT, user: 'u' }, `exchanging ${JWT}`);
    logger.error({ err: Object.assign(new Error('x'), { stack: `Error: ${JWT}` }) }, 'failed');
    assert.equal(lines.length, 2);
    for (const l of lines) {
      JSON.parse(l);
      assert.doesNotMatch(l, /eyJ/);
    }
  });

  // JSON.stringify writes a value with a toJSON method as what that method returns: a Date as its
  // ISO time, a URL as its address. Copied key by key, a Date or URL became {} (a time lost) and an
  // object's own toJSON, copied along, wrote the original's content past the censor.
  it('writes a value with toJSON as what it returns, scrubbed', () => {
    const { lines, logger } = capture();
    const held = { token: 's3cr3t1', id: 'r-1' };
    logger.info(
      {
        at: new Date(0),
        url: new URL('https://acct.blob.core.windows.net/c/b?sv=1&sig=s3cr3t2'),
        answer: { toJSON: () => held },
      },
      'm',
    );
    assert.doesNotMatch(lines[0]!, /s3cr3t/, lines[0]);
    const written = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(written.at, '1970-01-01T00:00:00.000Z');
    assert.equal(written.url, 'https://acct.blob.core.windows.net/c/b?sv=1&sig=[redacted]');
    assert.deepEqual(written.answer, { token: '[redacted]', id: 'r-1' });
  });

  // Each pattern runs only where its sign is (scrubString): the line written must still be the one
  // scrub's copy gives, for clean objects and for everything scrub reshapes (a Date, an Error, a
  // reference met twice, a secret-named key, a string with a secret in it).
  it('writes every object as the scrubbed copy gives it', () => {
    const shared = { id: 'a' };
    const objects: Array<Record<string, unknown>> = [
      { event: 'graph.exchange', status: 204, path: '/v1.0/x', nested: { list: [1, 'b', null] }, gone: undefined },
      { diagnostic: '{"ServerInfo":{"DataCenter":"West Europe"}}', date: 'Mon, 30 Nov 2026 10:00:00 GMT' },
      { at: new Date(0), err: new Error('x') },
      { first: shared, second: shared },
      { token: 'opaque', note: `sent ${JWT}`, q: 'a=b&client_secret=s3cr3t' },
      { list: [{ refresh_token: 'r' }, 'Bearer abcdefghijklmnop'] },
    ];
    for (const obj of objects) {
      const { lines, logger } = capture();
      logger.info(obj, 'm');
      const written = JSON.parse(lines[0]!) as Record<string, unknown>;
      const expected = JSON.parse(JSON.stringify(scrub(obj))) as Record<string, unknown>;
      for (const key of ['level', 'time', 'service', 'msg']) delete written[key];
      assert.deepEqual(written, expected);
    }
  });

  // pino takes an error's own message as the line's msg when no message is given, and msg is not
  // part of the object the log formatter scrubs: a secret in an error's message would be written.
  it('scrubs the message pino takes from an error when the call gives none', () => {
    const { lines, logger } = capture();
    logger.error(new Error(`refused ${JWT}`));
    logger.error({ err: new Error('upstream said Authorization: Bearer abcdefghijklmnop') });
    logger.warn({ err: new Error(`plain words`) });
    assert.equal(lines.length, 3);
    for (const l of lines) {
      assert.doesNotMatch(l, /eyJ|abcdefghijklmnop/, l);
    }
    const msgs = lines.map((l) => (JSON.parse(l) as { msg?: string }).msg);
    assert.deepEqual(msgs, ['refused [redacted]', 'upstream said Authorization: Bearer [redacted]', 'plain words']);
  });

  // pino takes the message of whatever truthy `err` the object holds (not only an Error's, pino's
  // write in lib/proto.js), and formats an object given for %j or %o into the message itself: a
  // value thrown that is no Error, or an object interpolated, must be scrubbed there too.
  it('scrubs the message pino takes from an err that is no Error, and interpolated objects', () => {
    const { lines, logger } = capture();
    logger.warn({ err: { message: 'refused Bearer abcdefghijklmnop', statusCode: 401 } });
    logger.warn({ err: { message: 'PUT https://a.blob.core.windows.net/c?sv=1&sig=s3cr3tSig' } });
    logger.warn({ event: 'x' }, 'answer %j', { refresh_token: 'opaque-s3cr3t', note: 'client_secret=s3cr3t' });
    logger.warn('token %o', { t: JWT });
    assert.equal(lines.length, 4);
    for (const l of lines) {
      JSON.parse(l);
      assert.doesNotMatch(l, /abcdefghijklmnop|s3cr3t|eyJ/, l);
    }
    assert.equal((JSON.parse(lines[0]!) as { msg?: string }).msg, 'refused Bearer [redacted]');
  });

  // An object formatted into the message as JSON (%j, %o, %O) carries its keys with it: a secret
  // under a name the line's own object has censored (clientSecret, token, cookie, an Authorization
  // header whose value is no bearer string) must be censored there too. Under %s an object is only
  // its String() ("[object Object]", an Error's "Error: message"), which stays as it was.
  it('censors secret-named keys of an object formatted into the message', () => {
    const { lines, logger } = capture();
    const answer = {
      clientSecret: 's3cr3t1',
      token: 's3cr3t2',
      headers: { cookie: 'session=s3cr3t3', authorization: 's3cr3t4', 'request-id': 'r-1' },
      correlationId: 'c-1',
    };
    logger.warn('answer %j', answer);
    logger.warn({ event: 'x' }, 'answer %o then %O', answer, [{ codeVerifier: 's3cr3t5' }]);
    logger.warn('100%% sure: %s %j', new Error('plain words'), answer);
    // A message that is itself an object, followed by more values (untyped callers, a library
    // given the logger): pino writes them all as JSON.
    (logger.warn as (...args: unknown[]) => void)({ event: 'x' }, { token: 's3cr3t6' }, { sasToken: 's3cr3t7' });
    for (const l of lines) assert.doesNotMatch(l, /s3cr3t/, l);
    const msgs = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    assert.match(msgs[0]!, /"request-id":"r-1"/);
    assert.match(msgs[0]!, /"correlationId":"c-1"/);
    assert.match(msgs[2]!, /^100% sure: Error: plain words \{/);
  });

  // A child logger's bindings are written into each of its lines, but pino serializes them once,
  // when the child is made, past the log formatter that scrubs a line's object.
  it("scrubs a child logger's bindings, a grandchild's too, and keeps the rest", () => {
    const { lines, logger } = capture();
    const child = logger.child({
      accountKey: 's3cr3t1',
      conn: 'AccountName=a;AccountKey=s3cr3t2;EndpointSuffix=core.windows.net',
      correlationId: 'c-1',
      key: 'signIn/0f1e',
    });
    child.info('one');
    child.child({ token: 's3cr3t3', operation: 'cancelRoleRequest' }).info('two');
    assert.equal(lines.length, 2);
    for (const l of lines) assert.doesNotMatch(l, /s3cr3t/, l);
    const two = JSON.parse(lines[1]!) as Record<string, unknown>;
    assert.equal(two.correlationId, 'c-1');
    assert.equal(two.key, 'signIn/0f1e');
    assert.equal(two.operation, 'cancelRoleRequest');
    assert.equal(two.msg, 'two');
  });

  // pino fills each placeholder of the message with the next value given (its quick-format): a
  // template scrubbed before that ("sig=%s" made "sig=[redacted]") loses the placeholder, and the
  // secret meant for it fills the next one, where no secret shape names it.
  it('scrubs the message once formatted, the secret in its own placeholder and the next one kept', () => {
    const { lines, logger } = capture();
    logger.warn('refresh failed sig=%s for user %s', 's3cr3tSig', 'adele');
    logger.info({ event: 'x' }, 'conn AccountKey=%s;EndpointSuffix=%s', 's3cr3tKey==', 'core.windows.net');
    logger.info('sent client_secret=%s to %s (%d)', 'Abc8Q~s3cr3t', 'login.microsoftonline.com', 400);
    const msgs = lines.map((l) => (JSON.parse(l) as { msg?: string }).msg);
    assert.deepEqual(msgs, [
      'refresh failed sig=[redacted] for user adele',
      'conn AccountKey=[redacted];EndpointSuffix=core.windows.net',
      'sent client_secret=[redacted] to login.microsoftonline.com (400)',
    ]);
  });
});
