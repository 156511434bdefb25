// The log's redaction of values (scrub, scrubString): the shapes of secrets it censors in
// strings, under secret names, in errors, and what it leaves alone. The lines the logger writes
// are log.lines.test.ts.

import { strict as assert } from 'node:assert';
import { scrub, scrubString } from '../../src/log';
import { JWT } from '../fixtures/logSecrets';

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

  // A secret under a longer name that ends in a secret's word: a storage account's key, a SAS's
  // signature (https://learn.microsoft.com/rest/api/storageservices/create-service-sas), a client
  // secret's value, the bot's password, a client assertion. The names of a secret's kind, id, type,
  // lifetime or algorithm, and the ids the log exists to carry, are written as they are.
  it('censors a key that ends in a secret’s word, and leaves the names about secrets alone', () => {
    const secrets = {
      storageAccountKey: 's3cr3t1',
      sasSignature: 's3cr3t2',
      clientSecretValue: 's3cr3t3',
      botAppPassword: 's3cr3t4',
      STORAGE_CONNECTION_STRING_PRIMARY_ACCOUNT_KEY: 's3cr3t5',
      queueSasToken: 's3cr3t6',
      graph: { userAssertion: 's3cr3t7', primary_connection_string: 's3cr3t8', 'sas-signature': 's3cr3t9' },
    };
    const out = JSON.stringify(scrub(secrets));
    assert.doesNotMatch(out, /s3cr3t/, out);
    const kept = {
      skipToken: 'X%27page2',
      key: 'signIn/0f1e',
      keyId: 'k-1',
      kid: 'k-2',
      tokenType: 'Bearer',
      expiresOn: '2026-01-01T00:00:00Z',
      correlationId: 'c-1',
      signatureAlgorithm: 'RS256',
    };
    assert.deepEqual(scrub(kept), kept);
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

  // The same names written as a program or a person writes a setting, not as a form or JSON: with
  // spaces around "=", with ":" (a connection string's key quoted in a message, an object printed
  // by util.inspect, as Node writes an error's properties), in single quotes. Quoted, the value is
  // all of it up to the closing quote.
  it('scrubs a secret written as name = value, name: value or in single quotes', () => {
    const written = [
      'sig = s3cr3t1',
      "{'sig':'s3cr3t2'}",
      'AccountKey: s3cr3t3==;EndpointSuffix=core.windows.net',
      "{ client_secret: 'Abc8Q~s3cr3t4', scope: 'x' }",
      "password: 'two s3cr3t5 words'",
      '"refresh_token" = "0.AXkA s3cr3t6"',
      'SharedAccessSignature : sv=1&sig=s3cr3t7',
    ];
    for (const s of written) assert.doesNotMatch(scrubString(s), /s3cr3t/, `${s} => ${scrubString(s)}`);
    assert.equal(scrubString('AccountKey: s3cr3t3==;AccountName=acct'), 'AccountKey: [redacted];AccountName=acct');
    assert.equal(scrubString("{ client_secret: 'x', scope: 'y' }"), "{ client_secret: '[redacted]', scope: 'y' }");
    // Already scrubbed once (a form field), scrubbed alike again; words that only end in a name,
    // and times, stay.
    assert.equal(scrubString('sig=abc'), 'sig=[redacted]');
    assert.equal(scrubString('{"sig": "abc"}'), '{"sig": "[redacted]"}');
    assert.equal(
      scrubString('mysig: 1, errorCode: Forbidden at 08:30:00'),
      'mysig: 1, errorCode: Forbidden at 08:30:00',
    );
  });

  // Quoted right after "=" or ":", or after ":" with no space (a setting, an ODBC or command line
  // quoted in an error), and a quoted value whose closing quote the line lost (a message cut short).
  it('scrubs a secret whose value follows "=" or ":" with no space, quoted or not', () => {
    const written = [
      "password='s3cr3t1'",
      'x client_secret="s3cr3t2 words" y',
      "AccountKey='s3cr3t3=='",
      "{password:'s3cr3t4'}",
      'password:s3cr3t5',
      "password: 's3cr3t6 cut sh",
      'refresh_token="s3cr3t7',
    ];
    for (const s of written) assert.doesNotMatch(scrubString(s), /s3cr3t/, `${s} => ${scrubString(s)}`);
    assert.equal(scrubString(`x client_secret="abc" y`), 'x client_secret="[redacted]" y');
    assert.equal(scrubString("password: 'cut sh"), "password: '[redacted]");
    assert.equal(scrubString('mysig:1 at 08:30:00'), 'mysig:1 at 08:30:00');
  });
});
