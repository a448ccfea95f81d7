import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import {
  addContact,
  type ContactLookupError,
  describeContact,
  findContacts,
  type OwnerRef,
  parseCommand,
  savedContact,
  summarizeRelationship,
  updateContact,
} from "@touchpoint/core";
import { contactCard, contactSaved, contactsFound } from "../../blocks/contact.js";
import { commandProblem, problem } from "../../blocks/touch.js";
import { fromSlack, type SlackDeps, tenantOf } from "../../deps.js";
import { answer, typist } from "./reply.js";

function ownerValue(owner: OwnerRef | null, userId: string): string | null {
  if (owner === null) return null;
  switch (owner.kind) {
    case "me":
      return userId;
    case "none":
      return null;
    case "member":
      return owner.userId;
    case "text":
      return owner.value;
  }
}

function lookupProblem(error: ContactLookupError): string {
  if (error.kind === "unknown_contact") return `${error.message} Add them with /contact add.`;
  const names = error.candidates.slice(0, 10).map(describeContact).join("; ");
  return `${error.message} ${names}${error.candidates.length > 10 ? "; …" : ""}. Use their @handle or email.`;
}

/** `/contact add|show|find|tag|owner|cadence …` */
export function contactCommand(deps: SlackDeps) {
  return async ({ command, ack, respond, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) =>
    answer(deps, { ack, respond, typist: typist(context, command.user_id) }, async (recordSaved) => {
      const tenantId = tenantOf(context);
      const parsed = parseCommand("/contact", fromSlack(command.text));
      if (!parsed.ok) return commandProblem(parsed.error);
      const request = parsed.value;
      switch (request.kind) {
        case "contact_add": {
          const added = await addContact(deps, {
            tenantId,
            contact: {
              name: request.name,
              identities: request.identities,
              segment: request.segment,
              tags: request.tags,
              cadenceDays: request.cadenceDays,
              owner: ownerValue(request.owner, command.user_id),
            },
          });
          if (!added.ok) return problem(added.error.message);
          recordSaved(savedContact("added", added.value));
          return contactSaved("Added", added.value);
        }
        case "contact_show": {
          const detail = await summarizeRelationship(deps, { tenantId, who: request.who });
          return detail.ok ? contactCard(detail.value, deps.clock.now()) : problem(lookupProblem(detail.error));
        }
        case "contact_find":
          return contactsFound(request.query, await findContacts(deps, { tenantId, query: request.query }));
        case "contact_tag":
        case "contact_owner":
        case "contact_cadence": {
          const change =
            request.kind === "contact_tag"
              ? { kind: "tags" as const, add: request.add, remove: request.remove }
              : request.kind === "contact_owner"
                ? { kind: "owner" as const, owner: ownerValue(request.owner, command.user_id) }
                : { kind: "cadence" as const, cadenceDays: request.cadenceDays };
          const updated = await updateContact(deps, { tenantId, who: request.who, change });
          if (updated.ok) {
            recordSaved(savedContact("updated", updated.value.after));
            return contactSaved("Updated", updated.value.after);
          }
          return problem(updated.error.kind === "validation" ? updated.error.message : lookupProblem(updated.error));
        }
        default:
          throw new Error(`/contact parsed as ${request.kind}`);
      }
    });
}
