// What a request body does not declare, refused as OData refuses it: an action takes only the
// parameters its page lists, and an object only the properties of its type (a name the type does
// not have is refused in OData's words: unknownProperty). Each area answers the message with its
// own error envelope (400).

/** The control information OData allows on any object (a derived type's name). */
const ODATA_TYPE = '@odata.type';

/** The first key of the body that is not one of the action's parameters, in OData's words. */
export function undeclaredParameter(body: unknown, declared: readonly string[], operation: string): string | null {
  const name = firstUndeclared(body, declared);
  return name === undefined
    ? null
    : `The parameter '${name}' in the request payload is not a valid parameter for the operation '${operation}'.`;
}

/** The first property of an object (`@odata.type` aside) that its type does not let the request set. */
export function undeclaredProperty(value: unknown, declared: readonly string[], type: string): string | null {
  const name = firstUndeclared(value, [...declared, ODATA_TYPE]);
  return name === undefined ? null : `The property '${name}' is not a property of '${type}' that this request can set.`;
}

/**
 * The first property of an object (`@odata.type` aside) that its type does not have at all, in
 * OData's words for a property a closed type does not define (400 BadRequest, as Graph quotes it:
 * "The property 'x' does not exist on type 'microsoft.graph.message'. Make sure to only use
 * property names that are defined by the type or mark the type as open type."). `properties` is
 * every property and relationship the type's resource page lists, read-only ones included.
 */
export function unknownProperty(value: unknown, properties: readonly string[], type: string): string | null {
  const name = firstUndeclared(value, [...properties, ODATA_TYPE]);
  return name === undefined
    ? null
    : `The property '${name}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`;
}

function firstUndeclared(value: unknown, declared: readonly string[]): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.keys(value).find((k) => !declared.includes(k));
}
