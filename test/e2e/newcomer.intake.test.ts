// The notification intake as a sender meets it first: without a token, or with a token that is not
// valid, it answers 401 (README, "Notifications", Authentication) and, as every bearer-token
// resource, says how to authenticate in WWW-Authenticate: RFC 6750 §3
// (https://www.rfc-editor.org/rfc/rfc6750#section-3): "If the protected resource request does not
// include authentication credentials or does not contain an access token that enables access to
// the protected resource, the resource server MUST include the HTTP WWW-Authenticate response
// header field", with error="invalid_token" for a token that is malformed or not valid.

import { strict as assert } from 'node:assert';
import { contractSession } from './contractSession';

describe('notification intake: a 401 says how to authenticate', function () {
  this.timeout(60_000);
  const session = contractSession();

  const event = JSON.stringify({
    eventId: 'newcomer-401',
    kind: 'roleRequest',
    target: { userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1' },
    requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
  });

  it('answers a POST and a GET with no token 401 with WWW-Authenticate: Bearer', async () => {
    const url = `${session.bot.url}/api/notifications`;
    const post = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: event });
    assert.equal(post.status, 401);
    assert.match(post.headers.get('www-authenticate') ?? '', /^Bearer\b/);
    const get = await fetch(`${url}/newcomer-401`);
    assert.equal(get.status, 401);
    assert.match(get.headers.get('www-authenticate') ?? '', /^Bearer\b/);
  });

  it('answers a token that is not valid 401 with error="invalid_token"', async () => {
    const res = await fetch(`${session.bot.url}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-jwt' },
      body: event,
    });
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
  });
});
