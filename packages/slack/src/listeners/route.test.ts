import { describe, expect, it } from "vitest";
import { routes } from "./route.js";

describe("routes", () => {
  const routed = routes({ "/touch": "touch", choose_contact: "choose", "a.b": "dotted" }, ["choose_contact"]);

  it("matches exactly the ids it routes, numbered ones with their suffix", () => {
    for (const id of ["/touch", "choose_contact_0", "choose_contact_199", "a.b"])
      expect(routed.pattern.test(id)).toBe(true);
    for (const id of [
      "/touchx",
      "x/touch",
      "choose_contact",
      "choose_contact_",
      "choose_contact_1a",
      "aXb",
      "undo_touch",
    ]) {
      expect(routed.pattern.test(id)).toBe(false);
    }
  });

  it("finds each id's handler, and refuses one it does not route", () => {
    expect(routed.handler("/touch")).toBe("touch");
    expect(routed.handler("choose_contact_12")).toBe("choose");
    expect(routed.handler("a.b")).toBe("dotted");
    expect(() => routed.handler("undo_touch")).toThrow('no listener for "undo_touch"');
  });
});
