// An expired password (AADSTS50055, 50144) is changed at the password reset page of the person's
// own cloud: https://aka.ms/sspr is the global service's. In Azure Government (CLOUD=usgov and
// usgovdod) Microsoft Entra ID's passwordreset.microsoftonline.com is passwordreset.microsoftonline.us
// ("Guidance for developers", Identity row:
// https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure#guidance-for-developers).
// For Azure operated by 21Vianet (CLOUD=china) no such Microsoft page is documented, so the words
// name none and say to change it as the organization tells. All three places say it: the Sign in
// card, the problem card (a command or a press with no Sign in card) and the sign-in end page.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { createReplyCards } from '../../src/bot/replyCards';
import { SignInRequiredError } from '../../src/domain/errors';
import { Cloud, Target } from '../../src/domain/operations';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { dataAttr, signInPagesSession } from '../fixtures/signInPagesSession';
import { rigMadeInTest } from './rigPerTest';

const GOVERNMENT_PAGE = 'https://passwordreset.microsoftonline.us';

const CASES: ReadonlyArray<{ cloud: Cloud; page: string | null }> = [
  { cloud: 'usgov', page: GOVERNMENT_PAGE },
  { cloud: 'usgovdod', page: GOVERNMENT_PAGE },
  { cloud: 'china', page: null },
];

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The change, as the problem card and the end page say it (in brackets when a page is named). */
const change = (page: string | null): RegExp =>
  page
    ? new RegExp(`Change it \\(at ${esc(page)}, or as your organization tells you\\), then `)
    : /Change it as your organization tells you, then /;

/** No page of another cloud, and in China none at all. */
function namesOnly(words: string, page: string | null): void {
  assert.doesNotMatch(words, /aka\.ms\/sspr/, words);
  if (page === null) assert.doesNotMatch(words, /passwordreset|Change it \(?at /, words);
}

/** The page's text with its quotes and apostrophes as written (the page escapes them). */
const text = (html: string): string => html.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

function signInCardText(sent: ReadonlyArray<Partial<Activity>>): string {
  const card = sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'));
  const content = card?.content as { text: string } | undefined;
  assert.ok(content, `a Sign in card: ${JSON.stringify(sent)}`);
  return content.text;
}

describe("an expired password is changed at the reset page of the bot's cloud", function () {
  this.timeout(20_000);

  for (const { cloud, page } of CASES) {
    describe(`CLOUD=${cloud}`, function () {
      const rigIn = rigMadeInTest();

      it('the Sign in card of a typed command names its page', async () => {
        const seed = loadDemoSeed();
        const users = seed.users.map((u, i) => (i === 0 ? { ...u, signInRefusal: 'passwordExpired' as const } : u));
        const r = rigIn({ tenant: new SimulatedTenant({ ...seed, users }, { cloud }), silent: true, cloud });
        const { sent } = await r.message(r.user(0), `cancel role-request ${r.seed.examples.roleRequestId}`);
        const words = signInCardText(sent);
        assert.match(
          words,
          page
            ? new RegExp(
                `Your password has expired\\. Change it at ${esc(page)}, or as your organization tells you, then select Sign in`,
              )
            : /Your password has expired\. Change it as your organization tells you, then select Sign in/,
        );
        namesOnly(words, page);
      });

      it('the problem card, for a command and for a press, names its page', () => {
        const cards = createReplyCards({ cloud, examples: null });
        const error = new SignInRequiredError('The password is expired.', 'password');
        for (const by of ['command', 'commandAlone', 'button'] as const) {
          const card = JSON.stringify(cards.signInProblem(error, null, by).attachment.content);
          assert.match(card, change(page), card);
          namesOnly(card, page);
        }
        const target: Target = {
          operation: 'cancelRoleRequest',
          ids: { requestId: '11111111-1111-4111-8111-111111111111' },
        };
        const pressed = cards.errorWords(error, target);
        assert.match(pressed, change(page), pressed);
        namesOnly(pressed, page);
      });
    });

    describe(`CLOUD=${cloud}: the sign-in end page`, function () {
      const session = signInPagesSession({ cloud });

      it("AADSTS50055 sent back from Entra's authorize endpoint names its page", async () => {
        const end = await session.refusedBack('p-50055', 'invalid_grant', 'AADSTS50055: The password is expired.');
        assert.equal(dataAttr(end.body, 'reason'), 'password_expired');
        const words = text(end.body);
        assert.match(words, change(page));
        assert.match(words, /then close this window and select Sign in again/);
        namesOnly(words, page);
      });
    });
  }
});
