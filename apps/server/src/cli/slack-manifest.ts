import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { parse, stringify } from "yaml";
import type { CliContext } from "./context.js";

const MANIFEST_FILE = new URL("../../slack-manifest.yaml", import.meta.url);
/** Written in the manifest as a shell-style variable, so the file reads as what it is. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest's placeholder is literally ${PUBLIC_URL}
const PLACEHOLDER = "${PUBLIC_URL}";

interface Manifest {
  features: { slash_commands: { url?: string }[] };
  oauth_config: { redirect_urls?: string[] };
  settings: {
    event_subscriptions: { request_url?: string };
    interactivity: { request_url?: string };
    socket_mode_enabled: boolean;
  };
}

/** The Slack app manifest with this installation's public URL, or set up for Socket Mode. */
export function slackManifest(publicUrl: string, socketMode: boolean): string {
  const template = readFileSync(MANIFEST_FILE, "utf8").replaceAll(PLACEHOLDER, publicUrl.replace(/\/$/, ""));
  const manifest = parse(template) as Manifest;
  if (socketMode) {
    // Socket Mode delivers over a WebSocket the app opens: no request URLs, no OAuth redirect.
    manifest.settings.socket_mode_enabled = true;
    for (const command of manifest.features.slash_commands) delete command.url;
    delete manifest.settings.event_subscriptions.request_url;
    delete manifest.settings.interactivity.request_url;
    delete manifest.oauth_config.redirect_urls;
  }
  return stringify(manifest, { lineWidth: 0 });
}

export function registerSlackManifest(program: Command, context: () => CliContext): void {
  program
    .command("slack-manifest")
    .description("print the Slack app manifest for this installation's PUBLIC_URL (paste it at api.slack.com/apps)")
    .option("--socket-mode", "for local development over Socket Mode, with no public URL")
    .action((options: { socketMode?: boolean }) => {
      const ctx = context();
      ctx.out.print(slackManifest(ctx.env.PUBLIC_URL, options.socketMode ?? false));
    });
}
