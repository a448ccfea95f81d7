import { keepUnconfirmedSaves, type SavedWork } from "@touchpoint/core";
import type { SlackDeps } from "../deps.js";

/**
 * Saved means said, in Slack. A listener commits before it confirms; when the confirmation can't
 * be delivered (response_url or the Web API refuses it), what was saved is kept, tenant-scoped and
 * for a week, and the person's next command's answer leads with it ("Your call with Jane Doe was
 * saved, but the confirmation didn't reach you; don't send it again."), with Undo. Nothing here
 * ever says "nothing was saved" about something that was.
 */

/** Whose saves they are. */
export interface Person {
  readonly tenantId: string;
  readonly userId: string;
}

/** Keeps saves for the person's next command; a failure to keep them is logged, never thrown. Logs count, never name. */
export async function keepForNextCommand(deps: SlackDeps, person: Person, saved: readonly SavedWork[]): Promise<void> {
  if (saved.length === 0) return;
  try {
    await keepUnconfirmedSaves(deps, { ...person, saved });
    deps.logger.info(
      { tenantId: person.tenantId, unconfirmedSaves: saved.length },
      "kept unconfirmed saves for the person's next Slack command",
    );
  } catch (error) {
    deps.logger.error(
      { err: error, tenantId: person.tenantId, unconfirmedSaves: saved.length },
      "could not keep unconfirmed saves for a Slack user",
    );
  }
}

/**
 * Sends what confirms `saved` (already committed). If it can't be sent, the saves are kept for the
 * person's next command instead of failing the listener; with nothing saved, the failure is thrown on.
 */
export async function confirmOrKeep(
  deps: SlackDeps,
  person: Person,
  saved: readonly SavedWork[],
  send: () => Promise<unknown>,
): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (saved.length === 0) throw error;
    deps.logger.warn(
      { failure: failureOf(error), unconfirmedSaves: saved.length },
      "a Slack confirmation failed after its save",
    );
    await keepForNextCommand(deps, person, saved);
  }
}

/**
 * A failed send as a log line may carry it: what failed and how, never the request (an HTTP
 * client's error holds the message sent, with contacts' names and notes, and the response_url).
 */
export function failureOf(error: unknown): Readonly<Record<string, string | number>> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, statusCode, response } = error as {
    code?: unknown;
    statusCode?: unknown;
    response?: { status?: unknown };
  };
  const status = typeof response?.status === "number" ? response.status : statusCode;
  return {
    type: error.name,
    message: error.message,
    ...(typeof status === "number" && { status }),
    ...(typeof code === "string" && { code }),
  };
}
