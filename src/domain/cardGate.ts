// Which clicks reach the card-action protocol: only those on a card the bot posted, for an item
// that card shows; and a card that already has its final word (its buttons gone for everyone)
// answers a click from a client that still showed them with that word, without sign-in or Graph.

import { BindingPort, cardShows } from './cardActionPorts';
import { Click, ClickOutcome } from './click';
import { BadInputError, DomainError, InvalidStateError } from './errors';

/** Records a refusal in the audit (the service's own). */
type Refuse = (error: DomainError, extra: Record<string, unknown>) => void;

/** `refused`: null when the click may act, otherwise its answer (audited either way); `click`: the
 * click with what its card said the item was, when its binding keeps that. */
export async function cardRefusal(
  bindings: BindingPort,
  given: Click,
  refuse: Refuse,
): Promise<{ refused: ClickOutcome | null; click: Click }> {
  const card = given.cardActivityId ? await bindings.cardOf(given.conversationId, given.cardActivityId) : null;
  const click = card?.about ? { ...given, about: card.about } : given;
  let message: string | null = null;
  // A card the bot posted has no binding until Teams gave its message id and the binding was
  // stored (written again when its outbox row comes back, README "Delivery"): a card just
  // arrived may be pressed in between.
  if (!card)
    message =
      'Governance Bot did not post this card, or it is too old to act on. If the card just arrived, its ' +
      'buttons may not be ready yet: press again in a minute. Nothing was done.';
  else if (!cardShows(card.items, click.target))
    message = 'That button does not belong to this card. Nothing was done.';
  if (message) {
    refuse(new BadInputError(message), { refused: 'cardBinding' });
    return { refused: { kind: 'refused', message }, click };
  }
  // Only a card of one item has a final word of its own (a list's rows settle one by one).
  if (card?.settled && card.items.length === 1) {
    refuse(new InvalidStateError('The card has its final word.', null), { refused: 'cardSettled' });
    return { refused: { kind: 'superseded', text: card.settled.text, style: card.settled.style }, click };
  }
  return { refused: null, click };
}

/** A final word for everyone is remembered on its card, so a stale client's click is shown it. */
export async function rememberFinalWord(
  bindings: BindingPort,
  click: Click,
  outcome: ClickOutcome,
  onError: (e: unknown) => void,
): Promise<void> {
  if (outcome.kind !== 'settled' || outcome.own !== true || !click.cardActivityId) return;
  await bindings
    .settle(click.conversationId, click.cardActivityId, { text: outcome.text, style: outcome.style })
    .catch(onError);
}
