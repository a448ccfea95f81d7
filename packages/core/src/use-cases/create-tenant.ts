import {
  DEFAULT_NUDGE_TIME,
  DEFAULT_TIME_ZONE,
  type NewTenant,
  type Tenant,
  validateChannelId,
  validateNudgeTime,
  validateTimeZone,
} from "../domain/tenant.js";
import { describeUnstorable } from "../domain/text.js";
import { type TenantExists, ValidationError } from "../errors.js";
import type { Storage } from "../ports.js";
import { err, type Result } from "../result.js";

/** A new organization; whoever installed the app (when known) becomes its first admin. */
export async function createTenant(
  deps: { readonly storage: Storage },
  input: NewTenant & { readonly admin?: { readonly platformUserId: string; readonly displayName?: string | null } },
): Promise<Result<Tenant, TenantExists | ValidationError>> {
  for (const [field, label, value] of [
    ["name", "The name", input.name],
    ["externalId", "The platform id", input.externalId],
  ] as const) {
    const unstorable = describeUnstorable(value);
    if (unstorable !== undefined) {
      return err(new ValidationError(field, `${label} holds ${unstorable}; remove it and try again.`));
    }
  }
  const name = input.name.trim();
  if (name === "" || name.length > 200) {
    return err(new ValidationError("name", "A tenant needs a name of 1 to 200 characters."));
  }
  const externalId = input.externalId.trim();
  if (externalId === "" || externalId.length > 100) {
    return err(
      new ValidationError("externalId", "A tenant needs its platform's id (Slack team id or Teams tenant id)."),
    );
  }
  const timeZone = validateTimeZone(input.timeZone ?? DEFAULT_TIME_ZONE);
  if (!timeZone.ok) return err(new ValidationError("timeZone", timeZone.error));
  const nudgeTime = validateNudgeTime(input.nudgeTime ?? DEFAULT_NUDGE_TIME);
  if (!nudgeTime.ok) return err(new ValidationError("nudgeTime", nudgeTime.error));
  const channel = validateChannelId(input.nudgeChannel ?? null);
  if (!channel.ok) return err(new ValidationError("nudgeChannel", `${channel.error}.`));

  return deps.storage.tenants.create(
    {
      platform: input.platform,
      externalId,
      enterpriseId: input.enterpriseId ?? null,
      name,
      timeZone: timeZone.value,
      nudgeTime: nudgeTime.value,
      nudgeChannel: channel.value,
    },
    input.admin ? { admin: input.admin } : {},
  );
}
