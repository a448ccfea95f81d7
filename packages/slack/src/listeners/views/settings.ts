import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { changeSettings, DEFAULT_CADENCE_BY_SEGMENT, type TenantPatch } from "@touchpoint/core";
import { type SlackDeps, tenantOf } from "../../deps.js";
import { publishHome } from "../home.js";

/** Which modal block shows the error for each field the core can reject. */
const BLOCK_FOR_FIELD: Readonly<Record<string, string>> = {
  timeZone: "time_zone",
  nudgeTime: "time",
  nudgeChannel: "channel",
  admins: "admins",
};

/** The settings modal submitted: saved through the core (admins only), then the Home tab refreshed. */
export function settingsSubmitted(deps: SlackDeps) {
  return async ({
    ack,
    view,
    body,
    client,
    context,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const tenantId = tenantOf(context);
    const values = view.state.values;
    const cadenceBySegment: Record<string, number> = {};
    for (const segment of Object.keys(DEFAULT_CADENCE_BY_SEGMENT)) {
      const raw = values[`cadence:${segment}`]?.value?.value;
      if (raw) cadenceBySegment[segment] = Number(raw);
    }
    const patch: TenantPatch = {
      nudgeChannel: values.channel?.value?.selected_conversation ?? null,
      nudgeTime: values.time?.value?.selected_time ?? "",
      timeZone: values.time_zone?.value?.value ?? "",
      settings: { cadenceBySegment },
    };
    const admins = values.admins?.value?.selected_users ?? undefined;
    const changed = await changeSettings(deps, { tenantId, actorId: body.user.id, patch, ...(admins && { admins }) });
    if (!changed.ok) {
      const error = changed.error;
      const blockId =
        error.kind === "not_admin"
          ? "admins"
          : (BLOCK_FOR_FIELD[error.field] ?? `cadence:${Object.keys(DEFAULT_CADENCE_BY_SEGMENT)[0]}`);
      return void (await ack({ response_action: "errors", errors: { [blockId]: error.message } }));
    }
    await ack();
    await publishHome(deps, client, tenantId, body.user.id);
  };
}
