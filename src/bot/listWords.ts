// Why part of a list could not be read, in one sentence (the rest of the list is still shown).

import { explain } from '../cards/wording';
import { DomainError } from '../domain/errors';
import { KIND_NAMES, ListName, ROW_OPERATION, WorkKind } from '../domain/myWork';
import { CATALOG } from '../domain/operations';

export function explainShort(list: ListName, kind: WorkKind, error: DomainError): string {
  const w = explain(error, CATALOG[ROW_OPERATION[list][kind]]);
  const what = list === 'approvals' ? 'approvals' : 'requests';
  return `${KIND_NAMES[kind]} ${what} could not be listed: ${w.title.toLowerCase()}. ${w.next}`;
}
