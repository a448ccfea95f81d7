import { beforeAll, describe, expect, it } from "vitest";
import type { SentCard } from "../support/teams-activities.js";
import { type InstalledOrg, useTeamsServer } from "../support/teams-server.js";

/**
 * Markdown typed into names and notes reaches Teams as typed: the cards Touchpoint sends through
 * the connector carry it in TextRuns (never read as markdown), never in a TextBlock or a fact.
 */

const teams = useTeamsServer();
const { ask, press, install } = teams;

const NAME = "*Jane* [x](http://evil)";
const NOTE = "called # heading - list **bold** _x_";
const MARKS = ["*Jane*", "[x](http://evil)", "# heading", "- list", "**bold**", "_x_", "**major**"];

function* nodes(node: unknown): Generator<Record<string, unknown>> {
  if (node === null || typeof node !== "object") return;
  yield node as Record<string, unknown>;
  for (const child of Object.values(node)) yield* nodes(child);
}

/** What Teams reads as markdown in the card (TextBlocks, facts), and what it shows as written (TextRuns). */
function readings(sent: SentCard): { markdown: string[]; literal: string } {
  const markdown: string[] = [];
  const literal: string[] = [];
  for (const node of nodes(sent.card)) {
    if (node.type === "TextBlock") markdown.push(String(node.text));
    if (node.type === "FactSet") {
      for (const fact of node.facts as { title: string; value: string }[]) markdown.push(fact.title, fact.value);
    }
    if (node.type === "TextRun") literal.push(String(node.text));
  }
  return { markdown, literal: literal.join("\n") };
}

function expectAsTyped(sent: SentCard, typed: readonly string[]): void {
  const { markdown, literal } = readings(sent);
  for (const mark of MARKS) expect(markdown.filter((text) => text.includes(mark))).toEqual([]);
  for (const words of typed) expect(literal).toContain(words);
}

let org: InstalledOrg;
const say = (text: string) => ask(org.say.personal(org.chat, text));

beforeAll(async () => {
  org = await install("Markdown Meadows");
});

describe("Teams: markdown in names and notes is shown as typed", () => {
  it("in the contact added, the touch confirmed and the contact shown", async () => {
    const added = await say(`contact add "${NAME}" @janedoe segment:"**major** donor"`);
    expect(added.text).toContain("Added");
    expectAsTyped(added, [NAME, "**major** donor"]);

    const logged = await say(`touch @janedoe ${NOTE}`);
    expect(logged.text).toContain(`Logged a call with ${NAME}`);
    expectAsTyped(logged, [`Logged a call with ${NAME}`, NOTE]);

    const shown = await say("contact show @janedoe");
    expectAsTyped(shown, [NAME, "**major** donor", `“${NOTE}”`]);
  });

  it("in which contact, the touch logged with the one chosen, and the form for a new one", async () => {
    await say(`contact add "${NAME}" jane@example.org`);
    const asked = await say(`touch "${NAME}" met about _x_`);
    expectAsTyped(asked, [`contacts match "${NAME}". Which one?`]);

    const choice = asked.button(`${NAME} · jane@example.org`);
    const chosen = await press(org.say.submit(org.chat, asked.call.id ?? "", choice));
    expect(chosen.call.method).toBe("PUT");
    expectAsTyped(chosen, [`Logged a meeting with ${NAME}`, "met about _x_"]);

    const unknown = await say(`touch "_Nobody_ **Known**" emailed`);
    expect(JSON.stringify(readings(unknown).markdown)).not.toContain("_Nobody_");
    expect(readings(unknown).literal).toContain(`No contact matches "_Nobody_ **Known**".`);
  });
});
