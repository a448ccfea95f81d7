/**
 * One Bolt listener per kind of request, routing by id itself. Bolt runs every registered
 * listener's matchers on every request, each with its own copy of the arguments: two dozen
 * listeners halved a bare Bolt app's requests per second on this machine, so Touchpoint registers
 * a handful and looks the handler up here.
 */
export interface Routes<H> {
  /** What Bolt matches: exactly the ids routed, so anything else stays unhandled, as before. */
  readonly pattern: RegExp;
  handler(id: string): H;
}

/**
 * Routes by exact id; a `numbered` id also takes a `_0`, `_1`… suffix (ids unique within one
 * message, e.g. one button per candidate).
 */
export function routes<H>(handlers: Readonly<Record<string, H>>, numbered: readonly string[] = []): Routes<H> {
  const literal = (id: string) => id.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const alternatives = Object.keys(handlers).map((id) => (numbered.includes(id) ? `${literal(id)}_\\d+` : literal(id)));
  const suffix = /_\d+$/;
  return {
    pattern: new RegExp(`^(?:${alternatives.join("|")})$`),
    handler(id) {
      const found = handlers[id] ?? (suffix.test(id) ? handlers[id.replace(suffix, "")] : undefined);
      if (!found) throw new Error(`no listener for ${JSON.stringify(id)}`);
      return found;
    },
  };
}
