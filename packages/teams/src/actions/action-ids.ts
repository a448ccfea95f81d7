/**
 * What a card's Action.Submit carries in `data.action`: Teams sends the press back as a message
 * whose `value` holds that data (and the card's inputs), and the actions router dispatches on it.
 */
export const UNDO_TOUCH = "undo_touch";
export const CHOOSE_CONTACT = "choose_contact";
export const CREATE_CONTACT = "create_contact";
