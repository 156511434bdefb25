// A command waiting for sign-in, as it is kept in the shared state (JSON) until it runs or ends
// without running (signInAbandoned.ts).

import type { ConversationReference } from 'botbuilder';
import type { GraphEvidence } from '../domain/errors';
import type { ListName } from '../domain/myWork';
import type { Target } from '../domain/operations';
import type { PressedCard } from './pressedCard';

/**
 * A command waiting for sign-in; stored as JSON in the shared state. An operation (`target`, the
 * shape every record had before lists could wait), a list command (`list`), or a page of a posted
 * list card (`list` and `page`: its More pressed with no token).
 */
export type PendingCommand = PendingWhere & ({ readonly target: Target; readonly list?: undefined } | PendingList);

export interface PendingWhere {
  readonly reference: Partial<ConversationReference>;
  readonly userName: string | undefined;
  /** A card's button was pressed (not a command typed): a failed sign-in says to press it again.
   * Absent in records written before it was kept, which were commands' or said so alike. */
  readonly pressed?: true;
  /** The card of a pressed operation's button: it resumes as a click on it (pressedCard.ts). */
  readonly card?: PressedCard;
  /** A typed command Graph refused the token of, waiting to run after sign-in again: it has not
   * ended, and its one audit line, written when it does, carries this first attempt's id and
   * Graph's answer to it while no newer came (contract §6). */
  readonly kept?: KeptAttempt;
}

/** What a command's one audit line keeps of an attempt after which it waits for sign-in again. */
export interface KeptAttempt {
  readonly correlationId: string;
  readonly lastAnswer: GraphEvidence | null;
}

interface PendingList {
  readonly list: ListName;
  readonly target?: undefined;
  /** The list card and the first row of the page asked for; absent: the typed list command. */
  readonly page?: { readonly cardId: string; readonly offset: number };
}

/** A page of a posted list card, asked for by a button pressed before sign-in. */
export interface ListPageAsked {
  readonly list: ListName;
  readonly cardId: string;
  readonly offset: number;
}
