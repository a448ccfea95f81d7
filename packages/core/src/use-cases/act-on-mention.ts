import type { Mention } from "../domain/mention.js";
import { type NudgeAction, type NudgeRef, type NudgeView, nudgeItemKey } from "../domain/nudge.js";
import { truncateText } from "../domain/text.js";
import { MAX_NOTE_LENGTH, type TouchSource } from "../domain/touchpoint.js";
import { UnknownMention } from "../errors.js";
import type { Clock, Storage, TenantRepositories } from "../ports.js";
import { err, ok, type Result } from "../result.js";

/** What a nudge's button asks of a mention. */
export type MentionAct =
  | { readonly kind: "reply" }
  | { readonly kind: "snooze"; readonly days: 1 | 7 }
  | { readonly kind: "assign" };

export interface MentionActed {
  readonly mention: Mention;
  /** What was done now, or (stale button) what someone had done already. */
  readonly action: NudgeAction;
  /** False for a stale button: someone else got there first, and nothing was done twice. */
  readonly done: boolean;
  /** The day's nudge as it now stands, to show again in place. */
  readonly nudge: NudgeView | undefined;
}

const SNOOZE_DETAIL = { 1: "for a day", 7: "for a week" } as const;

/**
 * A nudge's button on a mention: Mark replied (logging the outbound touch when its author is a
 * contact), Snooze, or Assign to me. One transaction; what was done is recorded on the day's
 * nudge so the message can show it. A button someone else already acted on does nothing twice
 * and says who did what.
 */
export async function actOnMention(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: {
    readonly tenantId: string;
    readonly mentionId: string;
    /** The platform user id of who pressed it. */
    readonly by: string;
    /** The nudge it was pressed on, if any. */
    readonly nudge: NudgeRef | null;
    readonly act: MentionAct;
    /** Where it was pressed (the outbound touch says so). */
    readonly source: TouchSource;
  },
): Promise<Result<MentionActed, UnknownMention>> {
  return deps.storage.withTenant(input.tenantId, async (r) => {
    const mention = await r.mentions.get(input.mentionId);
    if (!mention) return err(new UnknownMention(input.mentionId));
    const now = deps.clock.now();
    const key = nudgeItemKey({ mentionId: mention.id });
    const earlier = input.nudge === null ? undefined : (await r.nudges.get(input.nudge))?.actions[key];
    const nudgeNow = async () => (input.nudge === null ? undefined : r.nudges.get(input.nudge));
    const stale = async (action: NudgeAction) => ok({ mention, action, done: false, nudge: await nudgeNow() });
    const handledBefore: NudgeAction = earlier ?? {
      kind: "replied",
      by: "",
      at: (mention.repliedAt ?? now).toISOString(),
    };

    const action: NudgeAction = {
      kind: kindOf(input.act),
      by: input.by,
      at: now.toISOString(),
      ...(input.act.kind === "snooze" && { detail: SNOOZE_DETAIL[input.act.days] }),
    };
    switch (input.act.kind) {
      case "reply": {
        if (mention.status === "replied" || mention.status === "dismissed") return stale(handledBefore);
        await r.mentions.markReplied([{ id: mention.id, repliedAt: now }]);
        if (mention.contactId !== null) await logReply(r, mention, { by: input.by, at: now, source: input.source });
        break;
      }
      case "snooze": {
        if (mention.status === "replied" || mention.status === "dismissed") return stale(handledBefore);
        await r.mentions.snooze(mention.id, new Date(now.getTime() + input.act.days * 86_400_000));
        break;
      }
      case "assign": {
        // Only if nobody has it: of two people pressing at once, the second is told who was first.
        if (mention.assignee !== null || !(await r.mentions.assign(mention.id, input.by, { ifUnassigned: true }))) {
          const holder = (await r.mentions.get(mention.id))?.assignee ?? mention.assignee ?? "";
          return stale(
            earlier?.kind === "assigned" ? earlier : { kind: "assigned", by: holder, at: now.toISOString() },
          );
        }
        break;
      }
    }
    if (input.nudge !== null) await r.nudges.recordAction(input.nudge, key, action);
    return ok({ mention, action, done: true, nudge: await nudgeNow() });
  });
}

function kindOf(act: MentionAct): NudgeAction["kind"] {
  return act.kind === "reply" ? "replied" : act.kind === "snooze" ? "snoozed" : "assigned";
}

/** Marking a contact's mention replied is an outbound touch: the team answered them. */
async function logReply(
  r: TenantRepositories,
  mention: Mention,
  { by, at, source }: { readonly by: string; readonly at: Date; readonly source: TouchSource },
): Promise<void> {
  const contactId = mention.contactId;
  if (contactId === null) return;
  await r.touchpoints.record({
    contactId,
    occurredAt: at,
    channel: "x_reply",
    direction: "outbound",
    note: truncateText(`Replied to @${mention.author.handle}: ${mention.text}`, MAX_NOTE_LENGTH),
    loggedBy: by,
    source,
    sourceRef: `nudge:replied:${mention.platform}:${mention.postId}`,
  });
}
