import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { settingsModal } from "../../blocks/views.js";
import { type SlackDeps, tenantOf } from "../../deps.js";
import { settingsFor } from "../settings-access.js";

/** "Edit settings" in the App Home tab (shown to admins; checked again here). */
export function editSettingsAction(deps: SlackDeps) {
  return async ({ ack, body, client, context }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    const settings = await settingsFor(deps, client, tenantOf(context), body.user.id);
    if (!settings.canEdit) return;
    await client.views.open({ trigger_id: body.trigger_id, view: settingsModal(settings) });
  };
}
