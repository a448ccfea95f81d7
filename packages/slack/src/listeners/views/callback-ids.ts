/** Modal callback ids, beside the handlers that receive their submissions. */
export const CREATE_CONTACT_VIEW = "create_contact_view";
export const SETTINGS_VIEW = "settings_view";
export const CONNECT_X_VIEW = "connect_x_view";
export const NUDGE_TOUCH_VIEW = "nudge_touch_view";
export const NUDGE_CONTACT_VIEW = "nudge_contact_view";
