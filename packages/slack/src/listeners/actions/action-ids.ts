/** Block Kit action ids, beside the handlers that answer them (one file each in this folder). */
export const UNDO_TOUCH = "undo_touch";
/** Suffixed _0, _1…: action ids must be unique within one message. */
export const CHOOSE_CONTACT = "choose_contact";
export const CREATE_CONTACT = "create_contact";
export const EDIT_SETTINGS = "edit_settings";
/** The nudge's buttons have the same ids on every platform: core's NUDGE_* (domain/nudge.ts). */
export {
  NUDGE_ADD_CONTACT,
  NUDGE_ASSIGN,
  NUDGE_LOG_TOUCH,
  NUDGE_REPLIED,
  NUDGE_SNOOZE_DAY,
  NUDGE_SNOOZE_WEEK,
} from "@touchpoint/core";
