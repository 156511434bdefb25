// The notification intake as a sender meets it first: without a token, or with a token that is not
// valid, it answers 401 (README, "Notifications", Authentication) and, as every bearer-token
// resource, says how to authenticate in WWW-Authenticate: RFC 6750 §3
// (https://www.rfc-editor.org/rfc/rfc6750#section-3): "If the protected resource request does not
// include authentication credentials or does not contain an access token that enables access to
// the protected resource, the resource server MUST include the HTTP WWW-Authenticate response
// header field", with error="invalid_token" for a token that is malformed or not valid.
// A refused event's problems name each field as the sender wrote it (README: "400
// {"error","problems":[…]} listing every problem"): `requestId` and `title` sit at the top of the
// event, so a problem says `requestId`, not `event.requestId`, which reads as a nested object.

import { strict as assert } from 'node:assert';
import { contractSession } from './contractSession';

describe('notification intake, as a sender first meets it', function () {
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

  it('names a refused top-level field as the sender wrote it', async () => {
    const { world } = session;
    const token = world.tenant.issueAppToken({
      audience: world.seed.app.clientId,
      roles: ['Notifications.Send'],
      host: new URL(world.tenantServer.url).host,
    });
    const res = await fetch(`${session.bot.url}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        eventId: 'newcomer-400',
        kind: 'workflowRun',
        target: { userId: 'not-a-guid' },
        workflowId: 'x',
        runId: 'y',
        title: 't'.repeat(201),
      }),
    });
    assert.equal(res.status, 400);
    const { problems } = (await res.json()) as { problems: string[] };
    for (const field of ['workflowId must be a GUID', 'runId must be a GUID', 'title must be at most 200']) {
      assert.ok(
        problems.some((p) => p.startsWith(field)),
        `${field}: ${JSON.stringify(problems)}`,
      );
    }
    assert.ok(problems.includes('target.userId must be a GUID.'), 'a nested field keeps its path');
    assert.ok(!problems.some((p) => p.startsWith('event.')), JSON.stringify(problems));
  });
});
