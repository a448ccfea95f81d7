import type { RespondArguments } from "@slack/bolt";
import { keepUnconfirmedSaves, savedTouch, takeUnconfirmedSaves } from "@touchpoint/core";
import { FixedClock, InMemoryStorage, newTenant } from "@touchpoint/core/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { message, section } from "../../blocks/text.js";
import type { SlackDeps } from "../../deps.js";
import { answer } from "./reply.js";

/**
 * A command's answer never says "nothing was saved" about something saved: a failure after the
 * save is said as saved, and an answer that can't be delivered keeps the saves for the next one.
 */

const jane = savedTouch({ id: "tp-1", channel: "call" }, { name: "Jane Doe" });
const logged = message("Logged a call with Jane Doe", [section("Logged a *call* with *Jane Doe*")]);

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

let deps: SlackDeps;
let tenantId: string;
const lines: { details: object; message?: string }[] = [];

beforeEach(async () => {
  const storage = new InMemoryStorage();
  tenantId = await newTenant(storage);
  const log = (details: object, message?: string) => void lines.push({ details, ...(message && { message }) });
  deps = {
    storage,
    clock: new FixedClock(new Date("2026-03-10T15:00:00Z")),
    logger: { debug: log, info: log, warn: log, error: log },
    openXSource: () => {
      throw new Error("not in these tests");
    },
  };
  lines.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

const said = (reply: unknown) => JSON.stringify(reply);

describe("a Slack command's answer", () => {
  it("says a save was saved when the work fails after it, never that nothing was", async () => {
    const ack = vi.fn(async () => {});
    await answer(deps, { ack, respond: vi.fn(), typist: { tenantId, userId: "U1" } }, async (recordSaved) => {
      recordSaved(jane);
      throw new Error("the rendering broke");
    });
    expect(ack).toHaveBeenCalledTimes(1);
    const reply = said(ack.mock.calls[0]);
    expect(reply).toContain("Your call with Jane Doe was saved, but the confirmation didn't reach you");
    expect(reply).toContain('"value":"tp-1"');
    expect(reply).not.toMatch(/nothing (of it )?was saved/);
  });

  it("says nothing was saved when nothing was", async () => {
    const ack = vi.fn(async () => {});
    await answer(deps, { ack, respond: vi.fn(), typist: { tenantId, userId: "U1" } }, async () => {
      throw new Error("the database is down");
    });
    expect(said(ack.mock.calls[0])).toContain("Something went wrong and nothing was saved");
  });

  it("keeps what a late answer confirms when response_url refuses it, and the next answer leads with it", async () => {
    vi.useFakeTimers();
    const work = deferred<void>();
    const ack = vi.fn(async () => {});
    const respond = vi.fn(async (_: string | RespondArguments) => {
      throw new Error("Request failed with status code 500");
    });
    const answered = answer(deps, { ack, respond, typist: { tenantId, userId: "U1" } }, async (recordSaved) => {
      await work.promise;
      recordSaved(jane);
      return logged;
    });
    await vi.advanceTimersByTimeAsync(2500);
    expect(said(ack.mock.calls[0])).toContain("Saving…");
    work.resolve();
    await answered;
    expect(said(respond.mock.calls[0])).toContain("Logged a *call* with *Jane Doe*");
    vi.useRealTimers();

    const next = vi.fn(async () => {});
    await answer(deps, { ack: next, respond: vi.fn(), typist: { tenantId, userId: "U1" } }, async () => logged);
    const reply = said(next.mock.calls[0]);
    expect(reply.indexOf("Your call with Jane Doe was saved, but the confirmation didn't reach you")).toBeGreaterThan(
      0,
    );
    expect(reply.indexOf("was saved, but")).toBeLessThan(reply.indexOf("Logged a *call*"));
    expect(await takeUnconfirmedSaves(deps, { tenantId, userId: "U1" })).toEqual([]);
    // What the log says: how many, never what (the words hold contacts' names).
    expect(JSON.stringify(lines)).not.toContain("Jane Doe");
    expect(lines.map((l) => l.message)).toContain("kept unconfirmed saves for the person's next Slack command");
  });

  it("keeps earlier saves again when the answer leading with them can't be delivered", async () => {
    await keepUnconfirmedSaves(deps, { tenantId, userId: "U1", saved: [jane] });
    const ack = vi.fn(async () => {
      throw new Error("the socket closed");
    });
    await answer(deps, { ack, respond: vi.fn(), typist: { tenantId, userId: "U1" } }, async () => logged);
    expect(said(ack.mock.calls[0])).toContain("Your call with Jane Doe was saved");
    expect(await takeUnconfirmedSaves(deps, { tenantId, userId: "U1" })).toEqual([
      expect.objectContaining({ said: jane.said, touchpointId: "tp-1" }),
    ]);
  });
});
