// The cards a press is answered with keep what its card said the item was (who asked for what),
// above the outcome: a card decided in a channel still tells its readers what was decided. That
// comes from the card's binding (Click.about), which the bot wrote when it posted the card; a
// button's data, which the client sends, is never shown.

import type { Click } from '../domain/click';
import type { ReplyCards } from './replies';

/** `cards`, whose item cards carry the pressed card's subject when its binding kept one. */
export function aboutCards(cards: ReplyCards, click: Pick<Click, 'about'>): ReplyCards {
  const about = click.about;
  return about ? { ...cards, item: (target, view) => cards.item(target, { ...view, about }) } : cards;
}
