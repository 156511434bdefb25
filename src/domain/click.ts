// A button press on a posted card, and every way the card-action protocol (cardAction.ts) can answer it.

import type { CardAbout } from './cardActionPorts';
import { Actor } from './governance';
import { DomainError, SignInRequiredError } from './errors';
import { LastAnswer } from './lastAnswer';
import { Target } from './operations';

export interface Click {
  readonly target: Target;
  readonly conversationId: string;
  /** The id of the message that holds the card (the activity's replyToId). */
  readonly cardActivityId: string | undefined;
  readonly actor: Actor;
  readonly userName: string;
  /** Extra fields for the audit line (how the click arrived). */
  readonly audit: Readonly<Record<string, unknown>>;
  /**
   * When the card's content was read from Graph (ms since the epoch), for a card whose buttons
   * cannot name the stage it showed (a list row: the approver list names requests, not stages).
   * An earlier stage decided well before then was already decided when the card showed the item.
   */
  readonly cardReadAt?: number;
  /** When the click's invoke arrived, on the card-action service's clock (CardActionService.now):
   * its budget counts from then, so time spent signing the clicker in is part of it. */
  readonly arrivedAt?: number;
  /** The log of Graph's answers to this click's calls (its read, its write), set when it is acted
   * on: one command, so every audit line it writes carries Graph's last answer (contract §6). */
  readonly answers?: LastAnswer;
  /** What its card said the item was, from the card's binding (CardActionService.checked). */
  readonly about?: CardAbout;
  /** Asked synchronously just before the item's claim is taken: false when the press must not act
   * (its turn was given up at shutdown, so a redelivery acts elsewhere); nothing is taken or sent
   * then (PerformHow.mayWrite). */
  readonly mayWrite?: () => boolean;
}

export type ClickOutcome =
  /** Not this card's button: nothing was read or written, the card stays as it is. */
  | { readonly kind: 'refused'; readonly message: string }
  /** The item's final word, for everyone: the card is replaced. */
  | {
      readonly kind: 'settled';
      readonly text: string;
      readonly style: 'good' | 'warning';
      /** The bot's own final decision (a write it made, or a final claim): the card remembers it as
       * its final word. A state one reader saw (Graph's, a not-found) is not remembered. */
      readonly own?: true;
    }
  /** The read or the write failed. Most failures are the clicker's: the card is not edited for them
   * and its buttons stay for a retry (their answer says why: the invoke's answer, theirs alone, or,
   * through Action.Submit, a message below the card that the channel reads too). One no press can mend changes the card (bot/clickAnswers.ts): an item
   * finished meanwhile (finishedMeanwhile: another approver's 409) loses its buttons for everyone,
   * or only on the presser's copy when the presser had decided it; one only the admin center decides
   * (AdminCenterOnlyError) loses them for everyone; the presser's own request (OwnRequestError),
   * only on the presser's copy. */
  | { readonly kind: 'failed'; readonly error: DomainError }
  /** Another click is acting and did not finish within this click's time. */
  | { readonly kind: 'busy'; readonly holderName: string }
  /** Graph has not answered within the click's time; the claim stays until it does. */
  | { readonly kind: 'pending' }
  /** This click lost its claim meanwhile, or the card had its final word already: that word, for
   * the clicker only. */
  | { readonly kind: 'superseded'; readonly text: string; readonly style: 'good' | 'warning' }
  /** Done, and the item now waits for someone else (an approval's next stage): the card says so to
   * everyone and keeps its buttons for them. */
  | {
      readonly kind: 'progressed';
      readonly text: string;
      /** The stage decided, when known: the card's buttons carry it (Target.afterStage), so a press
       * on the card as it now is may decide the next stage and one on the card before may not. */
      readonly stageId?: string;
    }
  /** Not the clicker's to decide now (another stage's approvers, theirs not started, or an item
   * Graph does not show them): only the clicker is told; the buttons stay for the others. */
  | { readonly kind: 'notYours'; readonly text: string }
  /** The approval the card was sent for ended (Target.endsAt) before the press acted: nothing was
   * sent, and only the clicker is told, with the ended card (no decision offered). `tokenRefused`:
   * Graph answered the press's read 401, so the presser's token is no good either. */
  | { readonly kind: 'ended'; readonly endsAt: number; readonly tokenRefused?: true };

/** Whether the answer says Graph (or Entra) no longer takes the presser's token: it is forgotten
 * then, whatever card answers, so the next press or command signs in afresh rather than meeting
 * the same 401. */
export function tokenToForget(outcome: ClickOutcome): boolean {
  if (outcome.kind === 'ended') return outcome.tokenRefused === true;
  return outcome.kind === 'failed' && outcome.error instanceof SignInRequiredError;
}
