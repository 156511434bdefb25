// The Sign in card, and the bot's start page, also serve a card's button: a press on a client
// without Universal Actions (Action.Submit, a message) is answered with the Sign in card, and the
// Universal Actions loginRequest's sign-in button opens the same start page. When what waited is
// no longer known (an unknown or expired state, a cancelled or forgotten sign-in, Teams' own SSO
// failure with nothing waiting, a start link no longer waiting), the words say to send the
// command or press the card's button again, since either may have asked.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot
// Action.Submit arrives as a message activity with the data as its value:
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-actions#action-submit

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { pressedData } from '../fixtures/pressedData';
import { Target } from '../../src/domain/operations';
import { SignInPages } from '../../src/auth/signInPages';
import { MEGAN as PAGE_USER, signInPagesSession } from '../fixtures/signInPagesSession';
import { Rig, User, cardsOf } from './botRig';

const BUTTON = /press the card's button again/i;

describe('sign-in words when what waited is no longer known fit a pressed button', () => {
  let dir: string;
  let r: Rig;
  let megan: User;
  let target: Target;
  beforeEach(async () => {
    dir = Rig.dir();
    r = new Rig(dir);
    megan = r.user(0);
    target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.postCard(megan, 'card-1', target);
  });
  afterEach(async () => {
    await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Megan presses the card's button on a client without Universal Actions: the Sign in card. */
  async function submitPress(): Promise<void> {
    const pressed = await r.message(megan, '', { text: undefined, value: pressedData(target), replyToId: 'card-1' });
    const oauth = pressed.sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'));
    assert.ok(oauth, `a Sign in card: ${JSON.stringify(pressed.sent)}`);
  }

  it('an unknown state: the 404 card says to press the button again too', async () => {
    await submitPress();
    const verify = await r.invoke(megan, 'signin/verifyState', { state: 'not-a-state-the-bot-issued' });
    assert.equal(verify.invoke?.status, 404);
    const said = cardsOf(verify.sent);
    assert.match(said, /no longer valid/);
    assert.match(said, BUTTON);
  });

  it('signed in, but a sign out forgot the press: the card says to press the button again too', async () => {
    await submitPress();
    const id = await r.signInFlow.latestFor(megan.aadObjectId);
    assert.ok(id);
    const state = await r.signInStates.issueVerify(id, megan.aadObjectId);
    await r.message(megan, 'sign out');
    const verify = await r.invoke(megan, 'signin/verifyState', { state });
    assert.equal(verify.invoke?.status, 200);
    await r.bot.idle();
    const said = cardsOf(verify.sent);
    assert.match(said, /Send your command again/, 'the words for a typed command stay');
    assert.match(said, BUTTON);
    assert.equal(r.writes().length, 0);
  });

  it('the sign-in cancelled on the page: the card says to press the button again too', async () => {
    await submitPress();
    const verify = await r.invoke(megan, 'signin/verifyState', { state: 'CancelledByUser' });
    assert.equal(verify.invoke?.status, 200);
    const said = cardsOf(verify.sent);
    assert.match(said, /Sign-in cancelled/);
    assert.match(said, BUTTON);
  });

  it('Teams’ SSO failed with nothing waiting here: the card says to press the button again too', async () => {
    const failure = await r.invoke(megan, 'signin/failure', { code: 'resourcematchfailed' });
    assert.equal(failure.invoke?.status, 200);
    const said = cardsOf(failure.sent);
    assert.match(said, /send your command again/i);
    assert.match(said, BUTTON);
  });
});

describe('the start page of a sign-in no longer waiting fits a pressed button', () => {
  const session = signInPagesSession();
  let pages: SignInPages;
  beforeEach(() => {
    ({ pages } = session);
  });

  it('says to send the command or press the card’s button again', async () => {
    assert.ok(PAGE_USER);
    const gone = await session.page(pages.signInUrl('p-gone'));
    assert.equal(gone.status, 404);
    assert.match(String(gone.body), /send your command again, or press the card(&#39;|&#x27;|')s button again/);
  });
});
