/**
 * What a card's Action.Submit carries in `data.action`: Teams sends the press back as a message
 * whose `value` holds that data (and the card's inputs), and the actions router dispatches on it.
 */
export const UNDO_TOUCH = "undo_touch";
export const CHOOSE_CONTACT = "choose_contact";
export const CREATE_CONTACT = "create_contact";
/** The nudge's Log touch form submitted (the press on Log touch itself is NUDGE_LOG_TOUCH). */
export const NUDGE_LOG_TOUCH_SAVE = "nudge_log_touch_save";
/** The nudge's Add as contact form submitted. */
export const NUDGE_ADD_CONTACT_SAVE = "nudge_add_contact_save";
/** The settings form saved (admins only). */
export const SETTINGS_SAVE = "settings_save";
/** Edit on the saved settings: the form again. */
export const SETTINGS_EDIT = "settings_edit";
/** The connect-x form submitted (admins only). */
export const CONNECT_X_SAVE = "connect_x_save";
