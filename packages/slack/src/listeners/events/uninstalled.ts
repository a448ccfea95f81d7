import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { uninstallApp } from "@touchpoint/core";
import { installationKey, type SlackDeps } from "../../deps.js";

/**
 * app_uninstalled, or tokens_revoked for the bot: the tokens are deleted, so nothing more is done
 * for that workspace (its requests fail authorization before any listener). Either order, repeated,
 * is harmless. The data stays until an admin asks to erase it.
 */
export function appUninstalled(deps: SlackDeps) {
  return async ({
    event,
    context,
  }: SlackEventMiddlewareArgs<"app_uninstalled" | "tokens_revoked"> & AllMiddlewareArgs) => {
    if (event.type === "tokens_revoked" && (event.tokens.bot ?? []).length === 0) return;
    const key = installationKey(context);
    if (!key) return;
    const { removed } = await uninstallApp(deps, { platform: "slack", key });
    deps.logger.info({ installation: key, event: event.type, removed }, "Slack installation removed");
  };
}
