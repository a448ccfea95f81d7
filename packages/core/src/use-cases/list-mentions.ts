import type { Mention } from "../domain/mention.js";
import type { Storage } from "../ports.js";

export interface OpenMentions {
  /** Oldest first: the longest wait is the most urgent. */
  readonly mentions: readonly Mention[];
  /** Whether there are more than `limit`. */
  readonly more: boolean;
}

/** The open mentions of one person (assigned to them, or from contacts they own), or of everyone. */
export async function listOpenMentions(
  deps: { readonly storage: Storage },
  input: { readonly tenantId: string; readonly person?: string; readonly limit: number },
): Promise<OpenMentions> {
  const filter = input.person === undefined ? undefined : { person: input.person };
  const found = await deps.storage.withTenant(input.tenantId, (repos) =>
    repos.mentions.listOpen(input.limit + 1, filter),
  );
  return { mentions: found.slice(0, input.limit), more: found.length > input.limit };
}
