import { BOT_EVENTS, BOT_SCOPES, SLASH_COMMANDS } from "@touchpoint/slack";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cli } from "../testing/index.js";
import { slackManifest } from "./slack-manifest.js";

interface Manifest {
  features: { slash_commands: { command: string; url?: string; should_escape: boolean }[] };
  oauth_config: { redirect_urls?: string[]; scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

describe("the Slack app manifest", () => {
  it("asks for exactly the scopes, commands and events the app uses, pointed at PUBLIC_URL", () => {
    const manifest = parse(slackManifest("https://touchpoint.example.org/", false)) as Manifest;
    expect(manifest.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([...SLASH_COMMANDS]);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([...BOT_EVENTS]);
    const urls = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    expect(new Set(urls)).toEqual(new Set(["https://touchpoint.example.org/slack/events"]));
    expect(manifest.oauth_config.redirect_urls).toEqual(["https://touchpoint.example.org/slack/oauth_redirect"]);
    // Escaped mentions (<@U…|name>) are how /touch tells a colleague from an X handle.
    expect(manifest.features.slash_commands.every((c) => c.should_escape)).toBe(true);
  });

  it("has no request URLs in Socket Mode", () => {
    const manifest = parse(slackManifest("http://localhost:3000", true)) as Manifest;
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.slash_commands.some((c) => c.url)).toBe(false);
    expect(manifest.settings.event_subscriptions.request_url).toBeUndefined();
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it("is printed by `touchpoint slack-manifest`", async () => {
    const run = await cli("slack-manifest");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("url: http://localhost:3000/slack/events");
  });
});
