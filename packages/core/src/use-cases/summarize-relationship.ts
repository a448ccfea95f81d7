import type { WhoRef } from "../commands/parse-command.js";
import { cadenceFor } from "../domain/cadence.js";
import { assessRelationship, RECENT_WINDOW_DAYS, type RelationshipSummary } from "../domain/health.js";
import type { Touchpoint } from "../domain/touchpoint.js";
import type { ContactLookupError } from "../errors.js";
import type { Clock, Storage } from "../ports.js";
import { ok, type Result } from "../result.js";
import { resolveContact } from "./resolve-contact.js";

export interface RelationshipDetail {
  readonly summary: RelationshipSummary;
  /** Most recent first. */
  readonly recentTouches: readonly Touchpoint[];
  readonly timeZone: string;
}

const DAY_MS = 86_400_000;

/** Everything `/contact show` says about one relationship: health, cadence, the last few touches. */
export async function summarizeRelationship(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: { readonly tenantId: string; readonly who: WhoRef; readonly recentLimit?: number },
): Promise<Result<RelationshipDetail, ContactLookupError>> {
  return deps.storage.withTenant(input.tenantId, async (repos) => {
    const found = await resolveContact(repos.contacts, input.who);
    if (!found.ok) return found;
    const contact = found.value;
    const now = deps.clock.now();
    const [tenant, recentTouches, recent] = await Promise.all([
      repos.tenant.get(),
      repos.touchpoints.listForContact(contact.id, input.recentLimit ?? 5),
      repos.touchpoints.countSince(contact.id, new Date(now.getTime() - RECENT_WINDOW_DAYS * DAY_MS)),
    ]);
    const last = recentTouches[0];
    const summary = assessRelationship({
      contact,
      lastTouch: last
        ? { occurredAt: last.occurredAt, channel: last.channel, direction: last.direction, note: last.note }
        : null,
      cadenceDays: cadenceFor(contact, tenant.settings),
      recent,
      now,
      timeZone: tenant.timeZone,
    });
    return ok({ summary, recentTouches, timeZone: tenant.timeZone });
  });
}
