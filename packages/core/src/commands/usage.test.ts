import { describe, expect, it } from "vitest";
import { helpText, USAGE, WHO_HELP } from "./usage.js";

describe("helpText", () => {
  it("lists every command's usage and how to say who", () => {
    const help = helpText();
    for (const usage of Object.values(USAGE)) {
      if (usage !== USAGE.contact) expect(help).toContain(usage);
    }
    expect(help).toContain(WHO_HELP);
    expect(help).toContain("via:<channel>");
  });
});
