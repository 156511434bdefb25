// The Teams calls channel alerts make outside a turn: reading a team's channel list (for an event
// that names a channel the bot has not seen) and editing every other posted copy of a card once a
// click in one channel decided its item (in line with every instance's edits of each copy). Both
// run inside continueConversationAsync with a stored reference; both are best effort and logged,
// never a reason to fail the turn that caused them. The copies' updates are paced under Teams'
// rate limits, within a time per click (copyPacing.ts); once the instance stops (stop()), the
// copies still waiting are not sent, and their newest cards stay recorded for their next edits.

import { ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { CardCopy, ItemCopies, ItemRef, itemKeyOf } from '../alerts/itemCopies';
import { TeamChannel } from '../alerts/subscriptions';
import { Target } from '../domain/operations';
import { foreignTenantOf } from '../notifications/foreignTenant';
import { threadless } from '../state/cardBindings';
import { CardEditLog } from '../state/cardEditLog';
import type { StoredReference } from '../state/references';
import { CopyPacing, CopyRound, CopyThread } from './copyPacing';
import { Later, Reply } from './replies';
import { SharedCardEdits, SharedEdit } from './sharedCardEdits';
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
  /** The newest edit of each card, shared by the instances: a copy's edits end on the newest. */
  readonly editLog: CardEditLog<Reply>;
  readonly logger: Logger;
  /** The organization the bot serves (null: unknown, no check): a copy reached through another
   * organization's reference is never edited (notifications/foreignTenant.ts). */
  readonly servedTenant: string | null;
  /** The moments of the updates under Teams' limits (copyPacing.ts); absent, they go at once
   * (tests of a few copies only). */
  readonly pacing?: CopyPacing;
}

/** Edits every other copy of an item's card to the card the clicker's copy now shows. Each copy is
 * a card everyone in its conversation sees, edited from any instance (a stage decided on one, the
 * next on another): its edits go through the shared edit log like the clicked card's
 * (sharedCardEdits.ts), so the last update Teams takes of it is the newest card, and a settled
 * card never gets its buttons back from an earlier stage's edit still on its way. */
export class CardCopyUpdates {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly edits: SharedCardEdits;
  /** By item: this instance's look-ups of its copies, one after another, so each copy's edits are
   * recorded in the order they were asked for (a look-up may take longer than the next one). */
  private readonly lines = new Map<string, Promise<void>>();

  constructor(private readonly deps: CopyUpdateDeps) {
    this.edits = new SharedCardEdits(deps.editLog, deps.logger);
  }

  /** `final`: the card has no buttons left (settled); otherwise a stage was decided. */
  changed(target: Target, reply: Reply, final: boolean, clicked: ClickedCard): void {
    const item = { operation: target.operation, ids: target.ids };
    const key = itemKeyOf(item);
    const task: Promise<void> = (this.lines.get(key) ?? Promise.resolve())
      .then(() => this.update(item, { reply, final }, clicked))
      .catch((e: unknown) =>
        this.deps.logger.warn({ err: e, event: 'alerts.copies.failed' }, 'could not update the other copies of a card'),
      );
    this.lines.set(key, task);
    this.track(
      task.finally(() => {
        if (this.lines.get(key) === task) this.lines.delete(key);
      }),
    );
  }

  /** The instance is stopping (before shutdown waits for idle()): the copies still waiting for
   * their moment, and any asked for from now on, are not sent. Their newest cards stay in the edit
   * log, so the next edit of each (a click on it, a later stage) shows it; each click logs how many
   * it left, once. */
  stop(): void {
    this.deps.pacing?.stop();
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(task: Promise<void>): void {
    const tracked = task.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async update(item: ItemRef, edit: SharedEdit, clicked: ClickedCard): Promise<void> {
    const copies = await this.deps.copies.copiesOf(item);
    const round = this.deps.pacing?.round() ?? null;
    for (const copy of copies) {
      // The clicked card was already replaced by the click itself. Message ids are unique only
      // within a conversation, so the conversation decides too.
      const isClicked =
        copy.activityId === clicked.activityId &&
        threadless(copy.conversationId) === threadless(clicked.conversationId);
      if (isClicked) continue;
      // One copy that cannot be reached or edited never keeps the others stale.
      const failed = (e: unknown) =>
        this.deps.logger.warn(
          { err: e, event: 'alerts.copies.failed', item: itemKeyOf(item), activityId: copy.activityId },
          'could not update a copy of a card',
        );
      await this.updateCopy(copy, edit, failed, round).catch(failed);
    }
    if (round) this.track(this.reportLeft(item, round));
  }

  /** Once, for the click: how many copies had no moment within its time, and how many were not
   * sent because the instance stopped (neither is a failure). */
  private async reportLeft(item: ItemRef, round: CopyRound): Promise<void> {
    const { late, stopped } = await round.leftOver();
    if (late > 0)
      this.deps.logger.warn(
        { event: 'alerts.copies.overBudget', item: itemKeyOf(item), count: late },
        'copies of a card were not edited in time under the Teams rate limits; the next edit of each shows the newest card',
      );
    if (stopped > 0)
      this.deps.logger.info(
        { event: 'alerts.copies.stopped', item: itemKeyOf(item), count: stopped },
        'copies of a card were not edited: the instance stopped; the next edit of each shows the newest card',
      );
  }

  /** Asks for the copy's edit (recorded in the shared log now, sent after). */
  private async updateCopy(
    copy: CardCopy,
    edit: SharedEdit,
    failed: (e: unknown) => void,
    round: CopyRound | null,
  ): Promise<void> {
    const base = copy.userId
      ? ((await this.deps.userReference?.(copy.userId)) ?? null)
      : await this.deps.channelReference(copy.channelId ?? copy.conversationId);
    if (!base?.conversation) throw new Error('no stored reference reaches the conversation of this copy');
    if (foreignTenantOf(base, this.deps.servedTenant) !== null)
      throw new Error('the copy is in a chat or channel of another organization: not edited');
    const reference = { ...base, conversation: { ...base.conversation, id: copy.conversationId } };
    // Each edit's continuation is waited for by idle(); one that could not start is logged.
    const where = { tenantId: base.conversation.tenantId, threadId: threadless(copy.conversationId) };
    // Set when an update of the copy was given up because the instance stopped: not a failure.
    let stopped = false;
    const later: Later = (ref, logic) => {
      const run = (
        round ? this.paced(round, where, ref, logic, () => (stopped = true)) : this.deps.proactive(ref, logic)
      ).catch(failed);
      this.track(run);
      return run;
    };
    // The recording too is waited for by idle(): a copy given up unsent (the instance stopping)
    // has no turn to wait for it, and the store closes after idle().
    const recorded = this.edits.requestRecorded(later, reference as Partial<ConversationReference>, copy.activityId, {
      ...edit,
      taken: (taken) => {
        if (!taken && !stopped) failed(new Error('Teams did not take the update'));
      },
    });
    this.track(recorded);
  }

  /** The copy's turn once its first update has its moment (none in time, or stopped: no turn,
   * counted by the round); each further update in the turn takes a moment of its own, and a 429
   * holds the thread. `stopped` is told when an update is not sent because the pacing stopped. */
  private async paced(
    round: CopyRound,
    where: CopyThread,
    ref: Partial<ConversationReference>,
    logic: (ctx: TurnContext) => Promise<void>,
    stopped: () => void,
  ): Promise<void> {
    if ((await round.take(where)) !== 'go') return;
    let held = true;
    await this.deps.proactive(ref, async (ctx) => {
      ctx.onUpdateActivity(async (_c, _activity, next) => {
        const moment = held ? 'go' : await round.again(where);
        if (moment === 'stopped') stopped();
        if (moment !== 'go') throw new Error('no moment for this update within the copies’ time');
        held = false;
        try {
          return await next();
        } catch (e) {
          await round.failed(where, e).catch(() => undefined);
          throw e;
        }
      });
      await logic(ctx);
    });
  }
}
