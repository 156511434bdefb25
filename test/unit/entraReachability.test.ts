// /readyz asks whether Microsoft Entra ID's token service for the SSO app's tenant answers: its
// OpenID metadata document, read with a deadline, the answer reused briefly.
// https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri

import { strict as assert } from 'node:assert';
import { EntraReachability, ReachFetch } from '../../src/http/entraReachability';

const AUTHORITY = 'https://login.microsoftonline.com';
const TENANT = '5b0c9d1e-7a64-4f2b-9c3d-2e8f1a6b4c70';

describe('Entra reachability for /readyz', () => {
  let now = 0;
  const urls: string[] = [];
  const make = (answer: () => Promise<Response>, timeoutMs = 100) => {
    const fetchFn: ReachFetch = (url, init) => {
      urls.push(url);
      return new Promise<Response>((resolve, reject) => {
        init.signal.addEventListener('abort', () => reject(new Error('aborted')));
        answer().then(resolve, reject);
      });
    };
    return new EntraReachability({
      authorityHost: AUTHORITY,
      tenantId: TENANT,
      fetch: fetchFn,
      timeoutMs,
      now: () => now,
    });
  };
  beforeEach(() => {
    now = 0;
    urls.length = 0;
  });

  it("reads the tenant's OpenID metadata and is ready when it answers 200", async () => {
    await make(async () => new Response('{}', { status: 200 })).check();
    assert.deepEqual(urls, [`${AUTHORITY}/${TENANT}/v2.0/.well-known/openid-configuration`]);
  });

  it('is not ready when Entra answers an error, cannot be reached, or does not answer in time; the error names no URL', async () => {
    for (const answer of [
      async () => new Response('busy', { status: 503 }),
      async () => Promise.reject(new TypeError('fetch failed')),
      () => new Promise<Response>(() => undefined),
    ]) {
      await assert.rejects(make(answer).check(), (e: Error) => !e.message.includes('http'));
    }
  });

  it('reuses an answer for 30 s, then asks again', async () => {
    let status = 200;
    const reach = make(async () => new Response('{}', { status }));
    await reach.check();
    status = 503;
    now = 29_000;
    await reach.check();
    assert.equal(urls.length, 1, 'one read within the window');
    now = 30_000;
    await assert.rejects(reach.check());
    assert.equal(urls.length, 2);
  });
});
