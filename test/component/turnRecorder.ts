// The Teams side of the handler rigs: botbuilder's TestAdapter running turns and proactive
// continuations, recording every activity a turn sends and every card it updates, and refusing
// updates on request as Teams does for a message deleted meanwhile; and the activity Teams sends
// from a user's personal chat with the bot.

import { Activity, ConversationReference, InvokeResponse, TestAdapter, TurnContext } from 'botbuilder';

export class TurnRecorder {
  readonly adapter = new TestAdapter();
  readonly updates: Array<Partial<Activity>> = [];
  /** When set, Teams refuses every card update (as it does for a message deleted meanwhile). */
  failUpdates = false;
  /** When above 0, Teams refuses that many of the next messages sent (a 503), one by one. */
  failSends = 0;
  /** When set, every message sent waits for it first (a slow Teams); `heldSends` counts them. */
  sendGate: Promise<void> | null = null;
  heldSends = 0;
  readonly sent: Array<Partial<Activity>> = [];

  /** A continuation in a conversation, as the adapter's continueConversationAsync runs it. */
  async proactive(
    reference: Partial<ConversationReference>,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continue' }, reference, true);
    await this.adapter.processActivity(activity, (ctx) => this.record(ctx, logic));
  }

  /** Runs one turn of `logic`; what it sent, and the invoke answer if any. */
  protected async runTurn(
    activity: Partial<Activity>,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<{ sent: Array<Partial<Activity>>; invoke: InvokeResponse | undefined }> {
    const sent: Array<Partial<Activity>> = [];
    await this.adapter.processActivity(activity, (ctx) => this.record(ctx, logic, sent));
    const invoke = sent.find((a) => a.type === 'invokeResponse')?.value as InvokeResponse | undefined;
    return { sent: sent.filter((a) => a.type !== 'invokeResponse'), invoke };
  }

  private async record(
    ctx: TurnContext,
    logic: (ctx: TurnContext) => Promise<void>,
    sent: Array<Partial<Activity>> = [],
  ): Promise<void> {
    ctx.onSendActivities(async (_c, activities, next) => {
      if (this.failSends > 0 && activities.some((a) => a.type === 'message')) {
        this.failSends--;
        throw Object.assign(new Error('Service Unavailable'), { statusCode: 503 });
      }
      const gate = this.sendGate;
      if (gate && activities.some((a) => a.type === 'message')) {
        this.heldSends++;
        await gate;
      }
      sent.push(...activities);
      this.sent.push(...activities);
      return next();
    });
    ctx.onUpdateActivity(async (_c, activity, next) => {
      if (this.failUpdates) throw Object.assign(new Error('Not Found'), { statusCode: 404 });
      this.updates.push(activity);
      return next();
    });
    await logic(ctx);
  }
}

/** An activity from `user` in their personal chat with the bot, as Teams sends it. */
export function personalActivity(
  id: string,
  tenantId: string,
  user: { readonly id: string; readonly aadObjectId: string; readonly name: string },
  conversationId: string,
  extra: Partial<Activity>,
): Partial<Activity> {
  return {
    id,
    channelId: 'msteams',
    serviceUrl: 'https://smba.test/',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: '28:bot', name: 'Governance Bot' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId, isGroup: false, name: '' },
    channelData: { tenant: { id: tenantId } },
    ...extra,
  };
}
