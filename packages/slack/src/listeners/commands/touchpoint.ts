import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { CONTACT_CSV_COLUMNS, parseCommand } from "@touchpoint/core";
import { help } from "../../blocks/contact.js";
import { message, section } from "../../blocks/text.js";
import { commandProblem, problem } from "../../blocks/touch.js";
import { connectXModal, settingsModal } from "../../blocks/views.js";
import { fromSlack, installationKey, type SlackDeps, tenantOf } from "../../deps.js";
import { settingsFor } from "../settings-access.js";
import { ephemeral } from "./reply.js";

/** `/touchpoint help|settings|connect-x|import` */
export function touchpointCommand(deps: SlackDeps) {
  return async ({ command, ack, respond, context, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = parseCommand("/touchpoint", fromSlack(command.text));
    if (!parsed.ok) return ack(ephemeral(commandProblem(parsed.error)));
    switch (parsed.value.kind) {
      case "help":
        return ack(ephemeral(help()));
      case "settings": {
        // Ack first: checking who may edit can take a Web API call.
        await ack();
        const settings = await settingsFor(deps, client, tenantOf(context), command.user_id);
        if (!settings.canEdit) {
          await respond(ephemeral(problem("Only Touchpoint admins can change settings; ask one of them to add you.")));
          return;
        }
        await client.views.open({ trigger_id: command.trigger_id, view: settingsModal(settings) });
        return;
      }
      case "connect_x": {
        await ack();
        const tenantId = tenantOf(context);
        const settings = await settingsFor(deps, client, tenantId, command.user_id);
        if (!settings.canEdit) {
          await respond(
            ephemeral(problem("Only Touchpoint admins can connect the organization's X account; ask one of them.")),
          );
          return;
        }
        const accounts = await deps.storage.withTenant(tenantId, (r) => r.socialAccounts.list());
        const current = accounts.find((a) => a.platform === "x");
        await client.views.open({ trigger_id: command.trigger_id, view: connectXModal(current) });
        return;
      }
      case "import":
        return ack(
          ephemeral(
            message("Importing contacts", [
              section(
                [
                  "*Import your contact list* from a CSV file with these columns:",
                  `\`${CONTACT_CSV_COLUMNS.join(",")}\``,
                  `Whoever runs Touchpoint imports it with \`touchpoint import-contacts --tenant ${installationKey(context) ?? command.team_id} contacts.csv\` (add \`--dry-run\` to check it first). Importing the same file again changes nothing.`,
                ].join("\n"),
              ),
            ]),
          ),
        );
      default:
        throw new Error(`/touchpoint parsed as ${parsed.value.kind}`);
    }
  };
}
