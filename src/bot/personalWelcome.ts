// The welcome of a personal install. Teams recommends one in a personal chat the first time a user
// starts it, and not for first contact in a channel:
// https://learn.microsoft.com/en-us/microsoftteams/platform/resources/bot-v3/bot-conversations/bots-conv-personal#best-practice-welcome-messages-in-teams
// Installing the app for a user sends both conversationUpdate (the bot in membersAdded) and
// installationUpdate `add` in the personal conversation, in either order
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events),
// each may be redelivered and they may reach two instances: whichever comes first takes a mark in
// the state every instance shares (the redelivery record's key) and welcomes. The mark is kept while
// the app stays installed (a year at most), as the bot in membersAdded may come again later for the
// same install (https://github.com/microsoftgraph/microsoft-graph-docs/issues/20348); installationUpdate
// `remove` drops it, so installing the app again is welcomed again.
// A team is welcomed by the channel alerts (teamEvents.ts); a group chat is not welcomed.

import { TeamsActivityHandler, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { TurnDedup } from '../state/turnDedup';
import { readByTheUserOnly } from './personalChat';
import { ReplyCards, sendReply } from './replies';

export const WELCOME_TITLE = 'Welcome to Governance Bot';
const WELCOME_TEXT =
  'Cancel and resume Microsoft Entra ID Governance work without leaving Teams. Every action runs as you: your own permissions, your name in the Entra audit log. Type "help" to see every command.';
/** The mark's activity id: no Teams activity id has this form. */
const WELCOME_MARK = 'welcome:personal';
/** How long the mark is kept when no removal comes to drop it. */
const WELCOME_KEPT_MS = 365 * 24 * 3_600_000;

export interface PersonalWelcomeDeps {
  readonly turns: Pick<TurnDedup, 'firstTime' | 'forget'>;
  readonly cards: Pick<ReplyCards, 'info'>;
  readonly logger: Logger;
}

/** Welcomes a personal install once, on whichever of its two events comes first. */
export function routePersonalWelcome(bot: TeamsActivityHandler, deps: PersonalWelcomeDeps): void {
  bot.onMembersAdded(async (ctx, next) => {
    const botAdded = (ctx.activity.membersAdded ?? []).some((m) => m.id === ctx.activity.recipient?.id);
    if (botAdded) await welcome(ctx, deps);
    await next();
  });
  // botbuilder routes `add-upgrade` here too: an upgrade of an installed app, not a first install.
  bot.onInstallationUpdateAdd(async (ctx, next) => {
    if (ctx.activity.action === 'add') await welcome(ctx, deps);
    await next();
  });
  // `remove`, and `remove-upgrade` (an upgrade that removed the bot): a later `add` is a first start.
  bot.onInstallationUpdateRemove(async (ctx, next) => {
    const conversation = ctx.activity.conversation;
    if (readByTheUserOnly(conversation) && conversation.id) {
      try {
        await deps.turns.forget(conversation.id, WELCOME_MARK);
      } catch (e) {
        // A reinstall is then not welcomed: the person's first message gets an answer anyway.
        deps.logger.warn({ err: e, event: 'bot.welcome.forgetFailed' }, 'personal welcome mark not dropped');
      }
    }
    await next();
  });
}

async function welcome(ctx: TurnContext, deps: PersonalWelcomeDeps): Promise<void> {
  const conversation = ctx.activity.conversation;
  if (!readByTheUserOnly(conversation) || !conversation.id) return;
  try {
    if (!(await deps.turns.firstTime(conversation.id, WELCOME_MARK, WELCOME_KEPT_MS))) return;
  } catch (e) {
    // Without the shared mark the other event, or another instance, may welcome too: a second
    // welcome is worse than none (the person's first message gets an answer anyway).
    deps.logger.warn({ err: e, event: 'bot.welcome.markFailed' }, 'personal welcome not sent');
    return;
  }
  await sendReply(ctx, deps.cards.info(WELCOME_TITLE, WELCOME_TEXT));
}
