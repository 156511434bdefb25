// Entra's on-behalf-of answers temporarily_unavailable and server_error mean "Retry the request"
// (the token endpoint's error table,
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-token-endpoint-errors,
// which the on-behalf-of flow's error response shares:
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow#error-response-example).
// They are met as an unreachable Entra is: the person is told to try again in a moment, not to
// sign in again or sign out of Teams, and the command keeps waiting for the sign-in card.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignInFlow } from '../../src/auth/sso';
import { UserTokenCache } from '../../src/auth/tokens';
import { createReplyCards } from '../../src/bot/replyCards';
import { UpstreamError } from '../../src/domain/errors';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { PendingSignIns } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';
import { closeEntra, entraRefusing, exchangerAt } from '../fixtures/entraTokenRefusal';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

const ALICE = 'alice';
const TENANT = 'tenant';

/** An SSO token of `oid` in TENANT, as Teams sends it (the subject check reads it unsigned). */
function ssoToken(oid: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid, tid: TENANT })}.sig`;
}

describe('on-behalf-of exchange: Entra answers temporarily_unavailable or server_error', () => {
  let tls: LoopbackCertificate;
  let dir: string;
  let state: SqliteState;

  before(async () => {
    tls = await generateLoopbackCertificate();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-obo-retry-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [status, error] of [
    [503, 'temporarily_unavailable'],
    [500, 'server_error'],
    [400, 'temporarily_unavailable'],
  ] as const) {
    it(`${error} (HTTP ${status}): try again in a moment, and the command keeps waiting`, async () => {
      const entra = await entraRefusing(tls, {
        status,
        error,
        code: 90033,
        text: 'A transient error has occurred. Please try again.',
      });
      try {
        const exchanger = exchangerAt(entra, tls, TENANT);
        const thrown = await exchanger.exchange(ssoToken(ALICE)).then(
          () => assert.fail('expected a failure'),
          (e: unknown) => e,
        );
        assert.ok(thrown instanceof UpstreamError, `as an unreachable Entra: ${String(thrown)}`);

        const pending = new PendingSignIns<string>(state.records);
        const flow = new SignInFlow<string>({
          exchanger,
          cache: new UserTokenCache(),
          pending,
          resourceUri: null,
          passwordResetPage: PASSWORD_RESET_PAGES.global,
          signInUrl: (id) => `https://bot.contoso.test/auth/start?s=${id}`,
        });
        const { id } = await flow.begin(ALICE, 'cancel it');
        const result = await flow.exchange({ id, token: ssoToken(ALICE) }, { aadObjectId: ALICE, tenantId: TENANT });
        assert.equal(result.kind, 'failed');
        if (result.kind !== 'failed') return;
        assert.equal(result.status, 412, 'Teams shows the card’s Sign in button');
        assert.equal(result.error.reason, 'unavailable');
        const waiting = await pending.get(id);
        assert.equal(waiting?.payload, 'cancel it', 'the command still waits');
        assert.equal(waiting?.reason, undefined, 'nothing for the sign-in page to ask for');
        assert.equal(waiting?.lease, undefined, 'the lease ended: the next exchange may hold it');

        const cards = createReplyCards({ cloud: 'global', examples: null });
        for (const by of ['command', 'commandAlone', 'button'] as const) {
          const words = JSON.stringify(cards.signInProblem(result.error, null, by).attachment.content);
          assert.match(words, /in a moment/i, `${by}: ${words}`);
          assert.doesNotMatch(words, /sign out of Teams/i, by);
          assert.doesNotMatch(words, /AADSTS|eyJ/, 'no Entra text or token');
        }
      } finally {
        closeEntra(entra);
      }
    });
  }
});
