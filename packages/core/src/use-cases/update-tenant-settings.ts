import { isValidCadence, MAX_CADENCE_DAYS } from "../domain/cadence.js";
import { normalizeSegment } from "../domain/contact.js";
import {
  type Tenant,
  type TenantPatch,
  validateChannelId,
  validateNudgeTime,
  validateTimeZone,
} from "../domain/tenant.js";
import { describeUnstorable } from "../domain/text.js";
import { ValidationError } from "../errors.js";
import type { Storage } from "../ports.js";
import { err, ok, type Result } from "../result.js";

/** Validates every field first; a bad one changes nothing. */
export async function updateTenantSettings(
  deps: { readonly storage: Storage },
  input: { readonly tenantId: string; readonly patch: TenantPatch },
): Promise<Result<Tenant, ValidationError>> {
  const clean = validateTenantPatch(input.patch);
  if (!clean.ok) return clean;
  return ok(await deps.storage.withTenant(input.tenantId, (repos) => repos.tenant.update(clean.value)));
}

/** The patch with every field checked and normalized, or the first field that is wrong. */
export function validateTenantPatch(patch: TenantPatch): Result<TenantPatch, ValidationError> {
  const typed: [field: string, label: string, value: string | null | undefined][] = [
    ["name", "The name", patch.name],
    ["timeZone", "The time zone", patch.timeZone],
    ["nudgeTime", "The nudge time", patch.nudgeTime],
    ["nudgeChannel", "The nudge channel", patch.nudgeChannel],
    ...Object.keys(patch.settings?.cadenceBySegment ?? {}).map(
      (segment) => ["cadenceBySegment", "A segment's name", segment] as [string, string, string],
    ),
  ];
  for (const [field, label, value] of typed) {
    const unstorable = describeUnstorable(value ?? "");
    if (unstorable !== undefined) {
      return err(new ValidationError(field, `${label} holds ${unstorable}; remove it and try again.`));
    }
  }
  const clean: { -readonly [K in keyof TenantPatch]: TenantPatch[K] } = {};
  if (patch.name !== undefined) {
    const name = patch.name.trim();
    if (name === "" || name.length > 200) return err(new ValidationError("name", "A name is 1 to 200 characters."));
    clean.name = name;
  }
  if (patch.timeZone !== undefined) {
    const zone = validateTimeZone(patch.timeZone);
    if (!zone.ok) return err(new ValidationError("timeZone", zone.error));
    clean.timeZone = zone.value;
  }
  if (patch.nudgeTime !== undefined) {
    const time = validateNudgeTime(patch.nudgeTime);
    if (!time.ok) return err(new ValidationError("nudgeTime", time.error));
    clean.nudgeTime = time.value;
  }
  if (patch.nudgeChannel !== undefined) {
    const channel = validateChannelId(patch.nudgeChannel);
    if (!channel.ok) return err(new ValidationError("nudgeChannel", `${channel.error}.`));
    clean.nudgeChannel = channel.value;
  }
  if (patch.settings !== undefined) {
    const cadences = patch.settings.cadenceBySegment;
    if (cadences !== undefined) {
      const normalized: Record<string, number> = {};
      for (const [segment, days] of Object.entries(cadences)) {
        const key = normalizeSegment(segment);
        if (key === null) return err(new ValidationError("cadenceBySegment", "A segment needs a name."));
        if (!isValidCadence(days)) {
          return err(
            new ValidationError(
              "cadenceBySegment",
              `The cadence for ${key} must be a whole number of days from 1 to ${MAX_CADENCE_DAYS}.`,
            ),
          );
        }
        normalized[key] = days;
      }
      clean.settings = { ...patch.settings, cadenceBySegment: normalized };
    } else {
      clean.settings = patch.settings;
    }
  }
  return ok(clean);
}
