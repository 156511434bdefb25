// Names given twice in one JSON object. RFC 8259 §4: names "SHOULD be unique", and with duplicates
// "the behavior of software that receives such an object is unpredictable" (some readers keep the
// first, JSON.parse the last): an intake that takes such a body would act on another reading than
// a gateway or a log that read it first. https://www.rfc-editor.org/rfc/rfc8259#section-4

/** The first name an object of `text` gives twice, as JSON.parse reads names (escapes decoded),
 * with the path of its object ("" at the top, "target" inside it, "a.b[]" in an array's items), or
 * null. `text` must be valid JSON (JSON.parse took it). */
export function firstDuplicateName(text: string): { readonly name: string; readonly path: string } | null {
  interface Frame {
    readonly names: Set<string> | null;
    readonly path: string;
    expectName: boolean;
    lastName: string;
  }
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top?.names && top.expectName) {
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.names.has(name)) return { name, path: top.path };
        top.names.add(name);
        top.expectName = false;
        top.lastName = name;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      const path = !top ? '' : top.names ? joined(top.path, top.lastName) : `${top.path}[]`;
      stack.push({ names: c === '{' ? new Set() : null, path, expectName: c === '{', lastName: '' });
    } else if (c === '}' || c === ']') stack.pop();
    else if (c === ',' && top?.names) top.expectName = true;
  }
  return null;
}

const joined = (path: string, name: string): string => (path ? `${path}.${name}` : name);

/** The sender's problem with a name given twice, or null. */
export function duplicateNameProblem(text: string): string | null {
  const twice = firstDuplicateName(text);
  return twice
    ? `${joined(twice.path, twice.name)} is given twice in one object; JSON readers differ on which one counts: give it once.`
    : null;
}
