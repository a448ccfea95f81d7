import type { AnyMiddlewareArgs, Context, Middleware } from "@slack/bolt";
import { describe, expect, it, vi } from "vitest";
import type { SlackDeps } from "../deps.js";
import { touchpointListeners } from "./index.js";

type Args = Parameters<Middleware<AnyMiddlewareArgs>>[0];

/**
 * Which requests the one middleware takes: a taken one gets its tenant looked up before its
 * listener runs (here the listener then fails on the empty deps, which is beside the point);
 * anything else goes on to Bolt untouched, as a request no listener matched always did.
 */
async function route(request: Record<string, unknown>): Promise<"taken" | "passed on"> {
  const tenantFor = vi.fn(async (_context: Context) => undefined);
  const next = vi.fn(async () => {});
  const middleware = touchpointListeners({} as SlackDeps, tenantFor);
  const args = { context: { teamId: "T1", isEnterpriseInstall: false }, next, ...request } as unknown as Args;
  await middleware(args).catch(() => undefined);
  expect(tenantFor.mock.calls.length + next.mock.calls.length).toBe(1);
  return tenantFor.mock.calls.length === 1 ? "taken" : "passed on";
}

const button = (actionId: string, type = "block_actions") => ({
  body: { type },
  action: { type: "button", action_id: actionId, block_id: "b" },
});
const view = (callbackId: string, type = "view_submission") => ({ body: { type }, view: { callback_id: callbackId } });

describe("touchpointListeners", () => {
  it("takes Touchpoint's commands, buttons, modal submissions and events", async () => {
    expect(await route({ body: {}, command: { command: "/touch" } })).toBe("taken");
    expect(await route({ body: {}, command: { command: "/touchpoint" } })).toBe("taken");
    expect(await route(button("undo_touch"))).toBe("taken");
    expect(await route(button("choose_contact_3"))).toBe("taken");
    expect(await route(view("settings_view"))).toBe("taken");
    expect(await route({ body: {}, event: { type: "app_home_opened" } })).toBe("taken");
    expect(await route({ body: {}, event: { type: "tokens_revoked" } })).toBe("taken");
  });

  it("passes on everything else", async () => {
    expect(await route({ body: {}, command: { command: "/weather" } })).toBe("passed on");
    expect(await route(button("someone_elses_button"))).toBe("passed on");
    expect(await route(button("undo_touch", "interactive_message"))).toBe("passed on");
    expect(await route(view("settings_view", "view_closed"))).toBe("passed on");
    expect(await route(view("someone_elses_view"))).toBe("passed on");
    expect(await route({ body: {}, event: { type: "message" } })).toBe("passed on");
    expect(await route({ body: {}, shortcut: { callback_id: "undo_touch" } })).toBe("passed on");
  });
});
