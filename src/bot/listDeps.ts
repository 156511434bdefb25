// What the list cards' turns (listTurns.ts) are given: the lists' own parts and the bot's.

import type { Logger } from 'pino';
import type { SignInFlow } from '../auth/sso';
import type { CardActionService } from '../domain/cardAction';
import type { GovernanceService } from '../domain/governance';
import type { MyWorkPort, WorkItem } from '../domain/myWork';
import type { CardBindings } from '../state/cardBindings';
import type { CardEditLog } from '../state/cardEditLog';
import type { ListCards } from '../state/listCards';
import type { TurnDedup } from '../state/turnDedup';
import type { CommandTurns, PendingCommand } from './commandTurns';
import type { Later, Reply, ReplyCards } from './replies';

/** What the lists need beyond the handler's own parts. */
export interface ListParts {
  readonly myWork: MyWorkPort;
  readonly bindings: Pick<CardBindings, 'bindPage'>;
  readonly listCards: ListCards<WorkItem>;
}

export interface ListDeps extends ListParts {
  readonly signIn: SignInFlow<PendingCommand>;
  /** Asks for sign-in as every command does, remembering the list (or the click) for after it. */
  readonly commands: CommandTurns;
  readonly actions: Pick<CardActionService<unknown>, 'refusal' | 'act' | 'recordRefusal' | 'now'>;
  readonly cards: ReplyCards;
  readonly logger: Logger;
  readonly tenantId: string;
  readonly later: Later;
  /** The newest edit for everyone of each card, shared by every instance. */
  readonly editLog: CardEditLog<Reply>;
  /** Writes a row press's audit line when it ends before the card-action service acts on it (a
   * state store that failed its sign-in: commandStoreDown.ts pressRefused). */
  readonly governance: Pick<GovernanceService, 'recordRefusal'>;
  readonly now?: () => number;
  /** The message turns' duplicate marks: whether a given-up turn's redelivery has begun. */
  readonly turns?: Pick<TurnDedup, 'markedAgain'>;
}
