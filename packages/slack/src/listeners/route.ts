/** A kind of request's listeners by id (a command's name, an action's id, a view's callback id…). */
export interface Routes<H> {
  /** The listener for this id, or undefined: the request is not Touchpoint's. */
  find(id: string): H | undefined;
}

/**
 * Routes by exact id; a `numbered` id only with a `_0`, `_1`… suffix (ids unique within one
 * message, e.g. one button per candidate).
 */
export function routes<H>(handlers: Readonly<Record<string, H>>, numbered: readonly string[] = []): Routes<H> {
  const own = new Map(Object.entries(handlers));
  const suffix = /_\d+$/;
  return {
    find(id) {
      if (!suffix.test(id)) return numbered.includes(id) ? undefined : own.get(id);
      const base = id.replace(suffix, "");
      return numbered.includes(base) ? own.get(base) : own.get(id);
    },
  };
}
