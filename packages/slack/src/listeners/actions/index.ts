import type { App, BlockButtonAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
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

export function registerActions(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(UNDO_TOUCH, undoTouchAction(deps));
  app.action<BlockButtonAction>(new RegExp(`^${CHOOSE_CONTACT}_\\d+$`), chooseContactAction(deps));
  app.action<BlockButtonAction>(CREATE_CONTACT, createContactAction(deps));
  app.action<BlockButtonAction>(EDIT_SETTINGS, editSettingsAction(deps));
  for (const id of [NUDGE_REPLIED, NUDGE_SNOOZE_DAY, NUDGE_SNOOZE_WEEK, NUDGE_ASSIGN]) {
    app.action<BlockButtonAction>(id, nudgeMentionAction(deps));
  }
  app.action<BlockButtonAction>(NUDGE_LOG_TOUCH, nudgeLogTouchAction(deps));
  app.action<BlockButtonAction>(NUDGE_ADD_CONTACT, nudgeAddContactAction(deps));
}
