// The words for an item Graph does not find (NOT_FOUND): gone or hidden from this reader, or, for
// ids Graph refused as a pair, an item that is not under the parent the command named.

import { DomainError, NotInParentError } from '../domain/errors';
import { OperationSpec, parentNounOf } from '../domain/operations';

export function notFound(error: DomainError, spec: OperationSpec): { title: string; what: string; next: string } {
  const [parent] = spec.idNames;
  const parentNoun = parentNounOf(spec);
  if (error instanceof NotInParentError && parent !== undefined && parentNoun !== undefined) {
    // The item may exist and still be running: neither "no longer exists" nor "nothing left to do".
    return {
      title: 'These ids do not go together',
      what: `Microsoft Graph says this ${spec.noun} does not belong to the ${parentNoun} you named, so nothing was changed.`,
      next: `Check the ${parent}: copy both ids from the same notification or from the ${parentNoun}'s page in the Entra admin center, then send the command again.`,
    };
  }
  // One id or several, as the command took them.
  const many = spec.idNames.length > 1;
  return {
    title: `The ${spec.noun} no longer exists`,
    what: `Microsoft Graph has no ${spec.noun} with ${many ? 'these ids' : 'this id'}, or you cannot see it.`,
    next: `Check ${many ? 'the ids (copy them' : 'the id (copy it'} from the notification or the Entra admin center). If the item was removed, there is nothing left to do.`,
  };
}
