// The Teams calls channel alerts make outside a turn: reading a team's channel list (for an event
// that names a channel the bot has not seen) and editing every other posted copy of a card once a
// click in one channel settled its item. Both run inside continueConversationAsync with a stored
// reference; both are best effort and logged, never a reason to fail the turn that caused them.

import { ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { CardCopy, ItemCopies, itemKeyOf } from '../alerts/itemCopies';
import { TeamChannel } from '../alerts/subscriptions';
import { Target } from '../domain/operations';
import { foreignTenantOf } from '../notifications/foreignTenant';
import { threadless } from '../state/cardBindings';
import type { StoredReference } from '../state/references';
import { Reply, replaceCard } from './replies';
import { teamChannels } from './teamChannels';

export type Proactive = (
  reference: Partial<ConversationReference>,
  logic: (ctx: TurnContext) => Promise<void>,
) => Promise<void>;

/** The channels of a team, asked of Teams in a conversation of that team. */
export function teamChannelLister(proactive: Proactive, deadlineMs?: number) {
  return async (teamId: string, reference: StoredReference): Promise<TeamChannel[]> => {
    let channels: TeamChannel[] | null = null;
    let failure: unknown = null;
    await proactive(reference as Partial<ConversationReference>, async (ctx) => {
      // Carried out of the continuation: thrown inside, the adapter's turn-error handler would
      // swallow it, and an empty list would replace the team's known channels.
      try {
        channels = await teamChannels(ctx, teamId, deadlineMs);
      } catch (e) {
        failure = e;
      }
    });
    if (failure !== null) throw failure;
    if (channels === null) throw new Error('Teams did not list the team channels.');
    return channels;
  };
}

/** The card a click came from: its conversation (a channel thread id may carry `;messageid=`)
 * and its message id, when Teams named it. */
export interface ClickedCard {
  readonly conversationId: string;
  readonly activityId: string | undefined;
}

export interface CopyUpdateDeps {
  readonly copies: ItemCopies;
  /** How to reach the channel a copy was posted in. */
  readonly channelReference: (channelId: string) => Promise<StoredReference | null>;
  /** How to reach a user's personal chat, for a copy posted there. */
  readonly userReference?: (aadObjectId: string) => Promise<StoredReference | null>;
  readonly proactive: Proactive;
  readonly logger: Logger;
  /** The organization the bot serves (null: unknown, no check): a copy reached through another
   * organization's reference is never edited (notifications/foreignTenant.ts). */
  readonly servedTenant: string | null;
}

/** Edits every other copy of an item's card to the settled card the clicker's copy now shows. */
export class CardCopyUpdates {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: CopyUpdateDeps) {}

  settled(target: Target, reply: Reply, clicked: ClickedCard): void {
    const task: Promise<void> = this.update(target, reply, clicked)
      .catch((e: unknown) =>
        this.deps.logger.warn({ err: e, event: 'alerts.copies.failed' }, 'could not update the other copies of a card'),
      )
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async update(target: Target, reply: Reply, clicked: ClickedCard): Promise<void> {
    const item = { operation: target.operation, ids: target.ids };
    const copies = await this.deps.copies.copiesOf(item);
    for (const copy of copies) {
      // The clicked card was already replaced by the click itself. Message ids are unique only
      // within a conversation, so the conversation decides too.
      const isClicked =
        copy.activityId === clicked.activityId &&
        threadless(copy.conversationId) === threadless(clicked.conversationId);
      if (isClicked) continue;
      // One copy that cannot be reached or edited never keeps the others stale.
      await this.updateCopy(copy, reply).catch((e: unknown) =>
        this.deps.logger.warn(
          { err: e, event: 'alerts.copies.failed', item: itemKeyOf(item), activityId: copy.activityId },
          'could not update a copy of a card',
        ),
      );
    }
  }

  private async updateCopy(copy: CardCopy, reply: Reply): Promise<void> {
    const base = copy.userId
      ? ((await this.deps.userReference?.(copy.userId)) ?? null)
      : await this.deps.channelReference(copy.channelId ?? copy.conversationId);
    if (!base?.conversation) throw new Error('no stored reference reaches the conversation of this copy');
    if (foreignTenantOf(base, this.deps.servedTenant) !== null)
      throw new Error('the copy is in a chat or channel of another organization: not edited');
    const reference = { ...base, conversation: { ...base.conversation, id: copy.conversationId } };
    let updated = false;
    await this.deps.proactive(reference as Partial<ConversationReference>, async (ctx) => {
      updated = await replaceCard(ctx, copy.activityId, reply, this.deps.logger);
    });
    if (!updated) throw new Error('Teams did not take the update');
  }
}
