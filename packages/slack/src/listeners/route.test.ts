import { describe, expect, it } from "vitest";
import { routes } from "./route.js";

describe("routes", () => {
  const routed = routes({ "/touch": "touch", choose_contact: "choose", "a.b": "dotted" }, ["choose_contact"]);

  it("finds each id's listener, a numbered id's with its suffix", () => {
    expect(routed.find("/touch")).toBe("touch");
    expect(routed.find("choose_contact_0")).toBe("choose");
    expect(routed.find("choose_contact_199")).toBe("choose");
    expect(routed.find("a.b")).toBe("dotted");
  });

  it("finds nothing for an id it does not route", () => {
    for (const id of [
      "/touchx",
      "x/touch",
      "choose_contact",
      "choose_contact_",
      "choose_contact_1a",
      "a.b_1",
      "aXb",
      "undo_touch",
      "toString",
      "__proto__",
    ]) {
      expect(routed.find(id)).toBeUndefined();
    }
  });
});
