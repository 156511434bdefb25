// Remembers where each conversation can be reached later (proactive notifications), as
// middleware so no handler has to. A message never waits for storage: the reference is handed to
// the references object and the turn goes on; a failure is logged, never the turn's problem.
// Install and uninstall are rare and are what notifications depend on next, so they are awaited.
// An install (installationUpdate add, or conversationUpdate adding the bot itself) is written even
// when this process believes the reference is stored: another instance may have deleted it since.
// Events: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events

import { ActivityTypes, Middleware, TurnContext, teamsGetChannelId, teamsGetTeamInfo } from 'botbuilder';
import type { Logger } from 'pino';
import { CaptureOccasion, ConversationReferences } from '../state/references';

type ReferenceStore = Pick<ConversationReferences, 'remember' | 'forget'>;

export class ReferenceCapture implements Middleware {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly references: ReferenceStore,
    private readonly logger: Logger,
  ) {}

  async onTurn(ctx: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = ctx.activity;
    if (a.type === ActivityTypes.Message) {
      this.inBackground(this.apply(ctx, 'remember', 'turn'));
    } else if (a.type === ActivityTypes.InstallationUpdate) {
      await this.apply(ctx, a.action === 'remove' || a.action === 'remove-upgrade' ? 'forget' : 'remember', 'install');
    } else if (a.type === ActivityTypes.ConversationUpdate && (a.membersAdded?.length ?? 0) > 0) {
      const botAdded = a.membersAdded?.some((m) => m.id === a.recipient?.id) ?? false;
      await this.apply(ctx, 'remember', botAdded ? 'install' : 'turn');
    }
    await next();
  }

  /** Resolves when captures started by earlier turns have been handed over. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async apply(ctx: TurnContext, what: 'remember' | 'forget', occasion: CaptureOccasion): Promise<void> {
    const a = ctx.activity;
    try {
      const reference = TurnContext.getConversationReference(a);
      const aadObjectId = a.from?.aadObjectId;
      const channelId = teamsGetChannelId(a) ?? undefined;
      const teamId = teamsGetTeamInfo(a)?.id ?? undefined;
      if (what === 'forget') await this.references.forget(reference, aadObjectId, channelId, teamId);
      else await this.references.remember(reference, aadObjectId, channelId, teamId, occasion);
    } catch (e) {
      this.logger.warn({ err: e, event: `references.${what}.failed` }, 'could not update the conversation reference');
    }
  }

  private inBackground(task: Promise<void>): void {
    const tracked = task.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
