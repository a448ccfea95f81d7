import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { type Routes, routes } from "../route.js";
import {
  CHOOSE_CONTACT,
  CREATE_CONTACT,
  EDIT_SETTINGS,
  NUDGE_ADD_CONTACT,
  NUDGE_ASSIGN,
  NUDGE_LOG_TOUCH,
  NUDGE_REPLIED,
  NUDGE_SNOOZE_DAY,
  NUDGE_SNOOZE_WEEK,
  UNDO_TOUCH,
} from "./action-ids.js";
import { chooseContactAction } from "./choose-contact.js";
import { createContactAction } from "./create-contact.js";
import { editSettingsAction } from "./edit-settings.js";
import { nudgeMentionAction } from "./nudge-mention.js";
import { nudgeAddContactAction, nudgeLogTouchAction } from "./nudge-modals.js";
import { undoTouchAction } from "./undo-touch.js";

/** Every action id Touchpoint renders is a button's. */
export type ActionListener = (args: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => Promise<void>;

/** The buttons, by action id. */
export function actionListeners(deps: SlackDeps): Routes<ActionListener> {
  const mention = nudgeMentionAction(deps);
  return routes<ActionListener>(
    {
      [UNDO_TOUCH]: undoTouchAction(deps),
      [CHOOSE_CONTACT]: chooseContactAction(deps),
      [CREATE_CONTACT]: createContactAction(deps),
      [EDIT_SETTINGS]: editSettingsAction(deps),
      [NUDGE_REPLIED]: mention,
      [NUDGE_SNOOZE_DAY]: mention,
      [NUDGE_SNOOZE_WEEK]: mention,
      [NUDGE_ASSIGN]: mention,
      [NUDGE_LOG_TOUCH]: nudgeLogTouchAction(deps),
      [NUDGE_ADD_CONTACT]: nudgeAddContactAction(deps),
    },
    [CHOOSE_CONTACT],
  );
}
