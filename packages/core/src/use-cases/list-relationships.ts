import { cadenceFor, segmentWeight } from "../domain/cadence.js";
import { assessRelationship, type RelationshipStatus, type RelationshipSummary } from "../domain/health.js";
import type { Tenant } from "../domain/tenant.js";
import type { Clock, ContactWithLastTouch, Storage } from "../ports.js";

export interface RelationshipOverview {
  readonly tenant: Tenant;
  /** Most urgent first: overdue (by how overdue × how important), never touched, due, healthy. */
  readonly relationships: readonly RelationshipSummary[];
  readonly counts: Readonly<Record<RelationshipStatus, number>>;
}

const STATUS_ORDER: Readonly<Record<RelationshipStatus, number>> = { overdue: 0, never: 1, due: 2, healthy: 3 };

export async function listRelationships(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: { readonly tenantId: string },
): Promise<RelationshipOverview> {
  return deps.storage.withTenant(input.tenantId, async (repos) => {
    const [tenant, rows] = await Promise.all([repos.tenant.get(), repos.contacts.listWithLastTouch()]);
    const relationships = assessRelationships(rows, tenant, deps.clock.now());
    relationships.sort(byUrgency);
    const counts = { overdue: 0, never: 0, due: 0, healthy: 0 };
    for (const r of relationships) counts[r.status]++;
    return { tenant, relationships, counts };
  });
}

/** Each contact's relationship health, against its cadence, in the tenant's calendar. */
export function assessRelationships(
  rows: readonly ContactWithLastTouch[],
  tenant: Tenant,
  now: Date,
): RelationshipSummary[] {
  return rows.map(({ contact, lastTouch }) =>
    assessRelationship({
      contact,
      lastTouch,
      cadenceDays: cadenceFor(contact, tenant.settings),
      recent: null,
      now,
      timeZone: tenant.timeZone,
    }),
  );
}

function byUrgency(a: RelationshipSummary, b: RelationshipSummary): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    urgency(b) - urgency(a) ||
    a.contact.name.localeCompare(b.contact.name)
  );
}

function urgency(r: RelationshipSummary): number {
  return (r.overdueRatio ?? 1) * segmentWeight(r.contact.segment);
}
