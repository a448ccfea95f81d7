import { describe, expect, it } from "vitest";
import { UnknownTouchpoint } from "../errors.js";
import { seedContact, seedTouch, touchesOf, unwrap, unwrapErr, world } from "../testing/builders.js";
import { randomId } from "../testing/ids.js";
import { undoTouch } from "./undo-touch.js";

async function withTouch() {
  const w = await world();
  const jane = await seedContact(w, { name: "Jane Doe" });
  const touch = await seedTouch(w, jane.id, { sourceRef: "slack:abc" });
  return { w, jane, touch };
}

describe("undoTouch", () => {
  it("marks the touch undone at the clock's time, so it no longer counts", async () => {
    const { w, jane, touch } = await withTouch();
    const undone = unwrap(await undoTouch(w.deps, { tenantId: w.tenantId, touchpointId: touch.id }));
    expect(undone.alreadyUndone).toBe(false);
    expect(undone.touchpoint).toEqual({ ...touch, undoneAt: w.clock.now() });
    expect(await touchesOf(w, jane.id)).toEqual([]);
  });

  it("is harmless the second time: nothing changes, and it says so", async () => {
    const { w, touch } = await withTouch();
    const first = unwrap(await undoTouch(w.deps, { tenantId: w.tenantId, touchpointId: touch.id }));
    w.clock.set(new Date("2026-03-11T09:00:00Z"));
    const second = unwrap(await undoTouch(w.deps, { tenantId: w.tenantId, touchpointId: touch.id }));
    expect(second.alreadyUndone).toBe(true);
    expect(second.touchpoint.undoneAt).toEqual(first.touchpoint.undoneAt);
  });

  it("keeps the undone touch, so a late retry of the same command cannot bring it back", async () => {
    const { w, jane, touch } = await withTouch();
    unwrap(await undoTouch(w.deps, { tenantId: w.tenantId, touchpointId: touch.id }));
    const retry = await w.storage.withTenant(w.tenantId, (repos) =>
      repos.touchpoints.record({ ...touch, occurredAt: new Date() }),
    );
    expect(retry.created).toBe(false);
    expect(retry.touchpoint.undoneAt).not.toBeNull();
    expect(await touchesOf(w, jane.id)).toEqual([]);
  });

  it("says UnknownTouchpoint for an id that does not exist", async () => {
    const { w } = await withTouch();
    const error = unwrapErr(await undoTouch(w.deps, { tenantId: w.tenantId, touchpointId: randomId() }));
    expect(error).toBeInstanceOf(UnknownTouchpoint);
    expect(error.message).toBe("That touchpoint no longer exists.");
  });

  it("says UnknownTouchpoint for another tenant's touch, and leaves it alone", async () => {
    const { w, jane, touch } = await withTouch();
    const other = await world();
    const error = unwrapErr(await undoTouch(other.deps, { tenantId: other.tenantId, touchpointId: touch.id }));
    expect(error).toMatchObject({ kind: "unknown_touchpoint", touchpointId: touch.id });
    expect(await touchesOf(w, jane.id)).toEqual([touch]);
  });
});
