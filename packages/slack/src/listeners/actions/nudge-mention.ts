import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { actOnMention, type MentionAct, type NudgeAction, savedOnNudge } from "@touchpoint/core";
import { buttonValue, digestMessage, type NudgeButtonValue, nudgeRefOf } from "../../blocks/digest.js";
import { escapeMrkdwn, userMention } from "../../blocks/text.js";
import { type SlackDeps, tenantOf } from "../../deps.js";
import { confirmOrKeep } from "../saved.js";
import { NUDGE_ASSIGN, NUDGE_REPLIED, NUDGE_SNOOZE_DAY, NUDGE_SNOOZE_WEEK } from "./action-ids.js";

const ACTS: Record<string, MentionAct> = {
  [NUDGE_REPLIED]: { kind: "reply" },
  [NUDGE_SNOOZE_DAY]: { kind: "snooze", days: 1 },
  [NUDGE_SNOOZE_WEEK]: { kind: "snooze", days: 7 },
  [NUDGE_ASSIGN]: { kind: "assign" },
};

const ALREADY: Record<NudgeAction["kind"], string> = {
  replied: "already marked it replied",
  snoozed: "already snoozed it",
  assigned: "already has it",
  touched: "already logged a touch",
  added: "already added them",
};

/**
 * Mark replied, Snooze and Assign to me on the nudge: core does it (once), and the message is
 * updated in place to show who did what (or, with no nudge message to update, told privately). A
 * stale press (someone else was first) is told so, privately, and changes nothing.
 */
export function nudgeMentionAction(deps: SlackDeps) {
  return async ({
    ack,
    action,
    body,
    client,
    context,
    respond,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    const act = ACTS[action.action_id];
    const value = buttonValue<NudgeButtonValue>(action.value);
    const pressedOn = nudgeRefOf(value);
    if (!act || typeof value.mentionId !== "string" || !pressedOn) {
      await respond({ response_type: "ephemeral", replace_original: false, text: "That button no longer works." });
      return;
    }
    const tenantId = tenantOf(context);
    const acted = await actOnMention(deps, {
      tenantId,
      mentionId: value.mentionId,
      by: body.user.id,
      nudge: pressedOn,
      act,
      source: "slack",
    });
    if (!acted.ok) {
      await respond({ response_type: "ephemeral", replace_original: false, text: acted.error.message });
      return;
    }
    const { nudge, done, action: what } = acted.value;
    const channel = body.container?.channel_id ?? body.channel?.id;
    const ts = body.container?.message_ts ?? body.message?.ts;
    const person = { tenantId, userId: body.user.id };
    const saved = done ? savedOnNudge(what) : undefined;
    if (nudge && channel && ts) {
      // The nudge updated in place is the confirmation of what was just done.
      await confirmOrKeep(deps, person, saved ? [saved] : [], () =>
        client.chat.update({
          channel,
          ts,
          ...digestMessage(nudge.message, { buttons: true, actions: nudge.actions }),
        }),
      );
    } else if (saved) {
      // No nudge message to show it on (the day's nudge is not kept, or Slack named no message):
      // said privately instead, and kept for the next command should that fail too.
      await confirmOrKeep(deps, person, [saved], () =>
        respond({ response_type: "ephemeral", replace_original: false, text: `${escapeMrkdwn(saved.said)}.` }),
      );
    }
    if (!done) {
      const who = what.by && what.by !== body.user.id ? userMention(what.by) : "Someone";
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: `${who} ${escapeMrkdwn(ALREADY[what.kind])}; nothing was done twice.`,
      });
    }
  };
}
