import { describe, expect, it } from "vitest";
import type { TenantPatch } from "../domain/tenant.js";
import { ValidationError } from "../errors.js";
import { unwrap, unwrapErr, type World, world } from "../testing/builders.js";
import { updateTenantSettings } from "./update-tenant-settings.js";

const update = (w: World, patch: TenantPatch) => updateTenantSettings(w.deps, { tenantId: w.tenantId, patch });
const stored = (w: World) => w.storage.withTenant(w.tenantId, (repos) => repos.tenant.get());

describe("updateTenantSettings", () => {
  it("changes the fields given, tidied, and leaves the rest", async () => {
    const w = await world();
    const before = await stored(w);
    const after = unwrap(
      await update(w, {
        name: " Harbor Arts ",
        timeZone: "Europe/London",
        nudgeTime: "7:05",
        nudgeChannel: " C0123ABCD ",
      }),
    );
    expect(after).toEqual({
      ...before,
      name: "Harbor Arts",
      timeZone: "Europe/London",
      nudgeTime: "07:05",
      nudgeChannel: "C0123ABCD",
    });
    expect(await stored(w)).toEqual(after);
  });

  it("clears the channel with null or an empty string", async () => {
    const w = await world();
    unwrap(await update(w, { nudgeChannel: "C1" }));
    expect(unwrap(await update(w, { nudgeChannel: "" })).nudgeChannel).toBeNull();
    unwrap(await update(w, { nudgeChannel: "C1" }));
    expect(unwrap(await update(w, { nudgeChannel: null })).nudgeChannel).toBeNull();
  });

  it("normalizes segment names in cadences and merges other settings", async () => {
    const w = await world();
    const after = unwrap(
      await update(w, { settings: { cadenceBySegment: { " Major  Donor ": 21, board: 30 }, ownerDms: true } }),
    );
    expect(after.settings).toEqual({
      cadenceBySegment: { "major donor": 21, board: 30 },
      ownerDms: true,
      whenNothingToSay: "skip",
    });
    expect(unwrap(await update(w, { settings: { whenNothingToSay: "all_caught_up" } })).settings).toEqual({
      cadenceBySegment: { "major donor": 21, board: 30 },
      ownerDms: true,
      whenNothingToSay: "all_caught_up",
    });
  });

  it.each([
    [{ timeZone: "Europe/London", nudgeTime: "24:00" }, "nudgeTime"],
    [{ nudgeTime: "10:00", timeZone: "Narnia" }, "timeZone"],
    [{ timeZone: "Europe/London", name: "" }, "name"],
    [{ timeZone: "Europe/London", nudgeChannel: "#general" }, "nudgeChannel"],
    [{ timeZone: "Europe/London", settings: { cadenceBySegment: { donor: 0 } } }, "cadenceBySegment"],
    [{ timeZone: "Europe/London", settings: { cadenceBySegment: { "  ": 30 } } }, "cadenceBySegment"],
  ] satisfies [TenantPatch, string][])("refuses %j and changes nothing", async (patch, field) => {
    const w = await world();
    const before = await stored(w);
    const error = unwrapErr(await update(w, patch));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe(field);
    expect(error.message).not.toBe("");
    expect(await stored(w)).toEqual(before);
  });

  it.each([
    [{ name: "Harbor\u0000Arts" }, "name", "The name holds a NUL character (U+0000) after “Harbor”"],
    [
      { timeZone: "Europe/London\u0000" },
      "timeZone",
      "The time zone holds a NUL character (U+0000) after “Europe/London”",
    ],
    [
      { nudgeChannel: "C0123\u001b" },
      "nudgeChannel",
      "The nudge channel holds an invisible control character (U+001B) after “C0123”",
    ],
    [
      { name: "Harbor Arts", settings: { cadenceBySegment: { board: 30, "major\uD83C": 21 } } },
      "cadenceBySegment",
      "A segment's name holds a broken character (half of a UTF-16 surrogate pair, U+D83C) after “major”",
    ],
  ] satisfies [TenantPatch, string, string][])(
    "refuses a character the database can't hold in %j, naming the field, and changes nothing",
    async (patch, field, message) => {
      const w = await world();
      const before = await stored(w);
      const error = unwrapErr(await update(w, patch));
      expect(error).toMatchObject({ field, message: `${message}; remove it and try again.` });
      expect(await stored(w)).toEqual(before);
    },
  );

  it("says which segment has a bad cadence", async () => {
    const w = await world();
    const error = unwrapErr(await update(w, { settings: { cadenceBySegment: { Board: 3651 } } }));
    expect(error.message).toBe("The cadence for board must be a whole number of days from 1 to 3650.");
  });
});
