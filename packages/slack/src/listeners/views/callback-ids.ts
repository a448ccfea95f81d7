/** Modal callback ids, beside the handlers that receive their submissions. */
export const CREATE_CONTACT_VIEW = "create_contact_view";
export const SETTINGS_VIEW = "settings_view";
