import {
  NUDGE_ADD_CONTACT,
  NUDGE_ASSIGN,
  NUDGE_LOG_TOUCH,
  NUDGE_REPLIED,
  NUDGE_SNOOZE_DAY,
  NUDGE_SNOOZE_WEEK,
} from "@touchpoint/core";
import { problem } from "../cards/touch.js";
import type { TeamsDeps } from "../deps.js";
import type { TurnAnswer } from "../saved.js";
import type { Turn } from "../turn.js";
import {
  CHOOSE_CONTACT,
  CONNECT_X_SAVE,
  CREATE_CONTACT,
  NUDGE_ADD_CONTACT_SAVE,
  NUDGE_LOG_TOUCH_SAVE,
  SETTINGS_EDIT,
  SETTINGS_SAVE,
  UNDO_TOUCH,
} from "./action-ids.js";
import { chooseContactAction } from "./choose-contact.js";
import { connectXSaveAction } from "./connect-x.js";
import { createContactAction } from "./create-contact.js";
import {
  nudgeAddContactAction,
  nudgeAddContactSaveAction,
  nudgeAssignAction,
  nudgeLogTouchAction,
  nudgeLogTouchSaveAction,
  nudgeRepliedAction,
  nudgeSnoozeDayAction,
  nudgeSnoozeWeekAction,
} from "./nudge.js";
import { settingsEditAction, settingsSaveAction } from "./settings.js";
import { undoTouchAction } from "./undo-touch.js";
import type { ActionHandler, CardActionValue } from "./value.js";

export { isCardAction } from "./value.js";

/** An unknown action's name is logged this far: enough to tell a stale card's, never a payload. */
const LOGGED_ACTION_CHARS = 40;

const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  [UNDO_TOUCH]: undoTouchAction,
  [CHOOSE_CONTACT]: chooseContactAction,
  [CREATE_CONTACT]: createContactAction,
  [NUDGE_REPLIED]: nudgeRepliedAction,
  [NUDGE_SNOOZE_DAY]: nudgeSnoozeDayAction,
  [NUDGE_SNOOZE_WEEK]: nudgeSnoozeWeekAction,
  [NUDGE_ASSIGN]: nudgeAssignAction,
  [NUDGE_LOG_TOUCH]: nudgeLogTouchAction,
  [NUDGE_LOG_TOUCH_SAVE]: nudgeLogTouchSaveAction,
  [NUDGE_ADD_CONTACT]: nudgeAddContactAction,
  [NUDGE_ADD_CONTACT_SAVE]: nudgeAddContactSaveAction,
  [SETTINGS_SAVE]: settingsSaveAction,
  [SETTINGS_EDIT]: settingsEditAction,
  [CONNECT_X_SAVE]: connectXSaveAction,
};

/** The answer to a button pressed: in place of the pressed card where Teams says which, else beside it. */
export async function cardAction(deps: TeamsDeps, turn: Turn, value: CardActionValue): Promise<TurnAnswer> {
  const handler = ACTIONS[value.action];
  if (!handler) {
    // Anyone can craft a card's data: the log gets a bounded piece of it, as bot.ts gives refusals.
    deps.logger.warn(
      { action: value.action.slice(0, LOGGED_ACTION_CHARS) },
      "a Teams card sent an action Touchpoint does not know",
    );
    return { replies: [problem("That button no longer does anything.")] };
  }
  const answer = await handler(deps, turn, value);
  // The pressed card's message id; a card in a message Teams didn't say which gets a new reply.
  const pressed = turn.context.activity.replyToId;
  const beside = answer.reply ? [answer.reply] : [];
  if (!("replace" in answer)) return { replies: beside };
  if (!pressed) return { replies: [answer.replace, ...beside] };
  return { replace: { activityId: pressed, card: answer.replace }, replies: beside };
}
