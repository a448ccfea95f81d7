import { describe, expect, it } from "vitest";
import { parseCommand, type TouchCommand } from "../commands/parse-command.js";
import { AlreadyHandled, IdentityTaken, UnknownContact } from "../errors.js";
import { allContacts, seedContact, touchesOf, unwrap, unwrapErr, world, xId } from "../testing/builders.js";
import { completePendingTouch, holdPendingTouch, PENDING_TOUCH_FOR_MS } from "./pending-touch.js";

function touchCommand(text: string): TouchCommand {
  const parsed = parseCommand("/touch", text);
  if (!parsed.ok || parsed.value.kind !== "touch") throw new Error(`did not parse: ${text}`);
  return parsed.value;
}

async function held(text: string) {
  const w = await world();
  const pendingId = await holdPendingTouch(w.deps, {
    tenantId: w.tenantId,
    pending: { command: touchCommand(text), sourceRef: "slack:T1:trigger-9", replyTo: "https://hooks.example/r" },
  });
  return { w, pendingId };
}

describe("pending touches", () => {
  it("log with the contact chosen, once: a second press does nothing", async () => {
    const { w, pendingId } = await held('"Pat Kim" coffee about volunteering');
    const pat = await seedContact(w, { name: "Pat Kim" });
    const done = unwrap(
      await completePendingTouch(w.deps, {
        tenantId: w.tenantId,
        pendingId,
        contact: { kind: "existing", contactId: pat.id },
        loggedBy: "U2",
        source: "slack",
      }),
    );
    expect(done.logged).toMatchObject({
      created: true,
      contact: { id: pat.id },
      touchpoint: { channel: "meeting", loggedBy: "U2" },
    });
    expect(done.pending.replyTo).toBe("https://hooks.example/r");
    const again = await completePendingTouch(w.deps, {
      tenantId: w.tenantId,
      pendingId,
      contact: { kind: "existing", contactId: pat.id },
      loggedBy: "U3",
      source: "slack",
    });
    expect(unwrapErr(again)).toBeInstanceOf(AlreadyHandled);
    expect(await touchesOf(w, pat.id)).toHaveLength(1);
  });

  it("create the new contact and log the touch together, or neither", async () => {
    const { w, pendingId } = await held("@newfriend dm thanks");
    const create = (handle: string) =>
      completePendingTouch(w.deps, {
        tenantId: w.tenantId,
        pendingId,
        contact: { kind: "new", contact: { name: "Nia Friend", identities: [xId(handle)] } },
        loggedBy: "U1",
        source: "slack",
      });
    await seedContact(w, { name: "Taken", identities: [xId("taken")] });
    // A taken handle: nothing written, and the pending touch is still there to finish.
    expect(unwrapErr(await create("taken"))).toBeInstanceOf(IdentityTaken);
    const done = unwrap(await create("newfriend"));
    expect(done.logged.contact.name).toBe("Nia Friend");
    expect((await allContacts(w)).map((c) => c.name).sort()).toEqual(["Nia Friend", "Taken"]);
    // Submitting the same form twice: the second creates no second contact.
    expect(unwrapErr(await create("newfriend2"))).toBeInstanceOf(AlreadyHandled);
    expect((await allContacts(w)).map((c) => c.name).sort()).toEqual(["Nia Friend", "Taken"]);
  });

  it("keep the pending touch when logging fails, and expire after a day", async () => {
    const { w, pendingId } = await held("@janedoe called");
    const jane = await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe")] });
    await w.storage.withTenant(w.tenantId, (r) => r.contacts.update(jane.id, { archived: true }));
    const attempt = await completePendingTouch(w.deps, {
      tenantId: w.tenantId,
      pendingId,
      contact: { kind: "existing", contactId: jane.id },
      loggedBy: "U1",
      source: "slack",
    });
    expect(unwrapErr(attempt)).toBeInstanceOf(UnknownContact);
    const other = await seedContact(w, { name: "Jane Roe" });
    w.clock.set(new Date(w.clock.now().getTime() + PENDING_TOUCH_FOR_MS + 1));
    const late = await completePendingTouch(w.deps, {
      tenantId: w.tenantId,
      pendingId,
      contact: { kind: "existing", contactId: other.id },
      loggedBy: "U1",
      source: "slack",
    });
    expect(unwrapErr(late)).toBeInstanceOf(AlreadyHandled);
    expect(await touchesOf(w, other.id)).toEqual([]);
  });
});
