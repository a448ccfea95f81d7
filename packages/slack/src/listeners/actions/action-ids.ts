/** Block Kit action ids, beside the handlers that answer them (one file each in this folder). */
export const UNDO_TOUCH = "undo_touch";
/** Suffixed _0, _1…: action ids must be unique within one message. */
export const CHOOSE_CONTACT = "choose_contact";
export const CREATE_CONTACT = "create_contact";
export const EDIT_SETTINGS = "edit_settings";
/** The nudge's buttons on a mention (one set per item's actions block; ids are unique per block). */
export const NUDGE_REPLIED = "nudge_replied";
export const NUDGE_SNOOZE_DAY = "nudge_snooze_day";
export const NUDGE_SNOOZE_WEEK = "nudge_snooze_week";
export const NUDGE_ASSIGN = "nudge_assign";
/** Log touch on a going-cold contact, Add as contact on a new voice: each opens a modal. */
export const NUDGE_LOG_TOUCH = "nudge_log_touch";
export const NUDGE_ADD_CONTACT = "nudge_add_contact";
