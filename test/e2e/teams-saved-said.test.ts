import { addContact } from "@touchpoint/core";
import { beforeAll, describe, expect, it } from "vitest";
import type { ConnectorCall } from "../fakes/teams-connector.js";
import { type Activity, formValues, personalChat, type SentCard, sentCard } from "../support/teams-activities.js";
import { type InstalledOrg, useTeamsServer } from "../support/teams-server.js";

/**
 * Saved means said: when the Bot Framework connector refuses the confirmation of something saved,
 * the person is never told "nothing was saved" (a retry would save it twice). The apology says it
 * was saved, with Undo; if the apology is refused too, the person's next message leads with it.
 * The connector refuses with 403 (the bot removed from the chat, or blocked), or takes the reply and
 * answers 500; botbuilder sends no reply twice either way.
 */

const teams = useTeamsServer();
const { send, ask, install } = teams;
const fake = () => teams.fake();
const database = () => teams.database();

let org: InstalledOrg;

async function contact(name: string, identity: { x?: string; email?: string }) {
  const added = await addContact(
    { storage: database().storage },
    {
      tenantId: org.touchpointId,
      contact: {
        name,
        identities: [
          ...(identity.x ? [{ platform: "x" as const, handle: identity.x, externalUserId: null }] : []),
          ...(identity.email ? [{ platform: "email" as const, handle: identity.email, externalUserId: null }] : []),
        ],
      },
    },
  );
  if (!added.ok) throw new Error(added.error.message);
  return added.value;
}

const touchesOf = (contactId: string) =>
  database().storage.withTenant(org.touchpointId, (r) => r.touchpoints.listForContact(contactId, 100));

/** Sends the activity and resolves once the server has answered it (the whole turn, apology and all). */
async function sendAndSettle(activity: Activity): Promise<ConnectorCall[]> {
  const since = fake().calls.length;
  expect((await send(activity)).status).toBe(200);
  return fake()
    .calls.slice(since)
    .filter(
      (c) => c.replyToId === activity.id || (c.method === "PUT" && c.conversationId === activity.conversation.id),
    );
}

/** Every card of every message the bot sent (a message may carry several), the refused ones too. */
function cardsOf(calls: readonly ConnectorCall[]): SentCard[] {
  return calls.flatMap((call) =>
    (call.activity.attachments ?? []).map((_, n) =>
      sentCard({ ...call, activity: { ...call.activity, attachments: call.activity.attachments?.slice(n) } }),
    ),
  );
}

const delivered = (calls: readonly ConnectorCall[]) => cardsOf(calls.filter((c) => c.status === 200));

beforeAll(async () => {
  org = await install("Saved Said Food Bank");
});

describe("Teams: a confirmation that doesn't arrive never says nothing was saved", () => {
  it("a touch whose confirmation is refused: stored once, the apology says it was saved, and its Undo works", async () => {
    const jane = await contact("Jane Doe", { x: "janedoe" });
    const chat = personalChat();
    fake().failNext(1, 403);
    const calls = await sendAndSettle(org.say.personal(chat, "touch @janedoe called about the gala"));

    expect(calls.map((c) => c.status)).toEqual([403, 200]);
    expect(cardsOf(calls)[0]?.text).toContain("Logged a call with Jane Doe");
    const [apology, ...more] = delivered(calls);
    expect(more).toEqual([]);
    expect(apology?.text).toContain(
      "Your call with Jane Doe was saved, but the confirmation didn't reach you; don't send it again.",
    );
    expect(apology?.text).not.toMatch(/nothing (of it )?was saved/i);
    expect(await touchesOf(jane.id)).toHaveLength(1);

    const undo = apology?.button("Undo") ?? {};
    const undone = await ask(org.say.submit(chat, apology?.call.id ?? "", undo));
    expect(undone.call.method).toBe("POST");
    expect(undone.text).toContain("Undone: the call with Jane Doe is no longer on record.");
    expect(await touchesOf(jane.id)).toEqual([]);
    // The apology stays where it was, beside the answer to its Undo.
    expect(JSON.stringify(fake().message(chat.id, apology?.call.id ?? ""))).toContain("was saved, but");
  });

  it("a confirmation the connector took and answered 500: not sent again, and the apology says it was saved", async () => {
    const ines = await contact("Ines Duarte", { x: "inesduarte" });
    const chat = personalChat();
    fake().acceptThenFailNext(1, 500);
    const calls = await sendAndSettle(org.say.personal(chat, "touch @inesduarte called about the raffle"));

    // botbuilder's own pipeline would have sent the confirmation again (and again) after the 500.
    expect(calls.map((c) => c.status)).toEqual([500, 200]);
    const shown = fake()
      .conversationMessages(chat.id)
      .filter((m) => JSON.stringify(m.activity).includes("Logged a call with Ines Duarte"));
    expect(shown).toHaveLength(1);
    const [apology] = delivered(calls);
    expect(apology?.text).toContain("Your call with Ines Duarte was saved, but the confirmation didn't reach you");
    expect(await touchesOf(ines.id)).toHaveLength(1);
  });

  it("refused twice (the confirmation and the apology): the next message leads with it, once, Undo and all", async () => {
    const omar = await contact("Omar Haddad", { email: "omar@example.org" });
    const chat = personalChat();
    fake().failNext(2, 403);
    const calls = await sendAndSettle(org.say.personal(chat, "touch omar@example.org met about the auction"));
    expect(calls.map((c) => c.status)).toEqual([403, 403]);
    expect(await touchesOf(omar.id)).toHaveLength(1);

    const next = await sendAndSettle(org.say.personal(chat, "help"));
    const [notice, help, ...more] = delivered(next);
    expect(more).toEqual([]);
    expect(notice?.text).toContain(
      "Your meeting with Omar Haddad was saved, but the confirmation didn't reach you; don't send it again.",
    );
    expect(help?.text).toContain("Touchpoint");
    expect(await touchesOf(omar.id)).toHaveLength(1);

    const after = delivered(await sendAndSettle(org.say.personal(chat, "help")));
    expect(after.map((c) => c.text).join("\n")).not.toContain("Omar Haddad");

    const undone = await ask(org.say.submit(chat, notice?.call.id ?? "", notice?.button("Undo") ?? {}));
    expect(undone.text).toContain("Undone: the meeting with Omar Haddad is no longer on record.");
    expect(await touchesOf(omar.id)).toEqual([]);
  });

  it("the notice is the person's own: a colleague's next message doesn't carry it", async () => {
    await contact("Lee Park", { x: "leepark" });
    fake().failNext(2, 403);
    await sendAndSettle(org.say.personal(personalChat(), "touch @leepark called"));

    const colleagues = delivered(await sendAndSettle(org.say.personal(personalChat(), "help", org.member)));
    expect(colleagues.map((c) => c.text).join("\n")).not.toContain("Lee Park");
    const own = delivered(await sendAndSettle(org.say.personal(personalChat(), "help")));
    expect(own[0]?.text).toContain("Your call with Lee Park was saved");
  });

  it("a notice from a personal chat is not shown in a channel, and one from a channel is shown there", async () => {
    await contact("Ada Byrne", { x: "adabyrne" });
    await contact("Ben Ode", { x: "benode" });
    const chat = personalChat();
    fake().failNext(2, 403);
    await sendAndSettle(org.say.personal(chat, "touch @adabyrne called", org.member));
    fake().failNext(2, 403);
    await sendAndSettle(org.say.channel("touch @benode emailed", org.member));

    const inChannel = delivered(await sendAndSettle(org.say.channel("help", org.member)));
    expect(inChannel.map((c) => c.text).join("\n")).not.toContain("Ada Byrne");
    expect(inChannel[0]?.text).toContain("Your email with Ben Ode was saved");
    const inChat = delivered(await sendAndSettle(org.say.personal(chat, "help", org.member)));
    expect(inChat[0]?.text).toContain("Your call with Ada Byrne was saved");
    expect(inChat.map((c) => c.text).join("\n")).not.toContain("Ben Ode");
  });

  it("a contact added whose confirmation is refused is said as added", async () => {
    const chat = personalChat();
    fake().failNext(1, 403);
    const calls = await sendAndSettle(org.say.personal(chat, 'contact add "Maria Chen" maria@example.org'));
    const [apology] = delivered(calls);
    expect(apology?.text).toContain("Maria Chen was added as a contact, but the confirmation didn't reach you");
    expect(apology?.text).not.toMatch(/nothing (of it )?was saved/i);
    const marias = await database().storage.withTenant(org.touchpointId, (r) => r.contacts.findByName("Maria Chen"));
    expect(marias).toHaveLength(1);
  });

  it("a card press whose in-place confirmation is refused: said as saved beside it, and a second press changes nothing", async () => {
    const pat = await contact("Pat Kim", { email: "pat.kim@example.org" });
    await contact("Pat Kim", { email: "pkim@example.com" });
    const chat = personalChat();
    const asked = await ask(org.say.personal(chat, 'touch "Pat Kim" lunch about volunteering'));
    const choose = () => org.say.submit(chat, asked.call.id ?? "", asked.button("Pat Kim · pat.kim@example.org"));

    fake().failNextUpdates(1, 403);
    const calls = await sendAndSettle(choose());
    expect(calls.map((c) => [c.method, c.status])).toEqual([
      ["PUT", 403],
      ["POST", 200],
    ]);
    const [apology] = delivered(calls);
    expect(apology?.text).toContain("Your meeting with Pat Kim was saved, but the confirmation didn't reach you");
    expect(apology?.button("Undo").touchpointId).toBe((await touchesOf(pat.id))[0]?.id);

    const again = await ask(choose());
    expect(again.text).toContain("Someone already handled this");
    expect(await touchesOf(pat.id)).toHaveLength(1);
  });

  it("settings saved whose in-place card is refused: said as saved, and saved", async () => {
    const asked = org.say.channel("touchpoint settings");
    const form = await ask(asked);
    const save = { ...formValues(form.card), ...form.button("Save"), time: "06:45" };
    fake().failNextUpdates(1, 403);
    const calls = await sendAndSettle(org.say.submit(asked.conversation, form.call.id ?? "", save));
    expect(calls.map((c) => [c.method, c.status])).toEqual([
      ["PUT", 403],
      ["POST", 200],
    ]);
    const [apology] = delivered(calls);
    expect(apology?.text).toContain("Your settings were saved, but the confirmation didn't reach you");
    expect(apology?.text).not.toContain("nothing was saved");
    expect((await database().storage.withTenant(org.touchpointId, (r) => r.tenant.get())).nudgeTime).toBe("06:45");
  });

  it("still says nothing was saved when nothing was", async () => {
    fake().failNext(1, 403);
    const calls = await sendAndSettle(org.say.personal(personalChat(), 'touch "Nobody Known" called'));
    const [apology] = delivered(calls);
    expect(apology?.text).toContain("Something went wrong and nothing was saved; please try again in a minute.");
  });
});
