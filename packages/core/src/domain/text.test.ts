import { describe, expect, it } from "vitest";
import { describeUnstorable, findUnstorable, stripUnstorable, truncateText } from "./text.js";

const PARTY = "\u{1F389}"; // 🎉, two UTF-16 code units
const [HIGH, LOW] = [PARTY.charAt(0), PARTY.charAt(1)];

describe("findUnstorable", () => {
  it("passes ordinary text, emoji (a whole surrogate pair), tabs and line breaks", () => {
    for (const text of ["", "Jane Doe", `gala ${PARTY} night`, "line one\nline two\r\n\tindented", "Zoë, 李雷"]) {
      expect(findUnstorable(text)).toBeUndefined();
    }
  });

  it("finds a NUL, where it is", () => {
    expect(findUnstorable("Jane\u0000Doe")).toEqual({ kind: "nul", codePoint: 0, index: 4 });
  });

  it("finds a lone high or low surrogate, but not a pair", () => {
    expect(findUnstorable(`cut ${HIGH}`)).toEqual({ kind: "lone_surrogate", codePoint: 0xd83c, index: 4 });
    expect(findUnstorable(`${LOW} start`)).toEqual({ kind: "lone_surrogate", codePoint: 0xdf89, index: 0 });
    expect(findUnstorable(`${LOW}${HIGH}`)?.index).toBe(0);
    expect(findUnstorable(`${HIGH}x${LOW}`)?.index).toBe(0);
  });

  it("finds the other control characters: C0 but tab, LF and CR; DEL; C1", () => {
    for (const unit of [0x01, 0x08, 0x0b, 0x0c, 0x0e, 0x1b, 0x1f, 0x7f, 0x85, 0x9f]) {
      expect(findUnstorable(`a${String.fromCharCode(unit)}b`)).toEqual({ kind: "control", codePoint: unit, index: 1 });
    }
    expect(findUnstorable("a\u00a0b")).toBeUndefined(); // a no-break space is text
  });

  it("reports the first of several", () => {
    expect(findUnstorable("a\u001b[31m\u0000")).toMatchObject({ kind: "control", index: 1 });
  });
});

describe("stripUnstorable", () => {
  it("keeps everything else, emoji and line breaks included", () => {
    expect(stripUnstorable(`Thanks\u0000 for the ${PARTY}!\n\u001b[2J${HIGH}`)).toBe(`Thanks for the ${PARTY}!\n[2J`);
  });

  it("hands clean text back as it is", () => {
    const text = "nothing to strip";
    expect(stripUnstorable(text)).toBe(text);
  });
});

describe("describeUnstorable", () => {
  it("names the character and quotes what comes before it", () => {
    expect(describeUnstorable("Met at the gala\u0000")).toBe("a NUL character (U+0000) after “Met at the gala”");
    expect(describeUnstorable(`Jane ${HIGH}`)).toBe(
      "a broken character (half of a UTF-16 surrogate pair, U+D83C) after “Jane ”",
    );
    expect(describeUnstorable("\u001b[31mred")).toBe("an invisible control character (U+001B) at the start");
    expect(describeUnstorable("Jane Doe")).toBeUndefined();
  });

  it("quotes at most the last 20 characters, on one line", () => {
    expect(describeUnstorable("An unusually long note\nabout a long lunch\u0000")).toBe(
      "a NUL character (U+0000) after “…e about a long lunch”",
    );
  });

  it("does not split an emoji in the quoted context", () => {
    const text = `${"x".repeat(30)}${PARTY}${"y".repeat(19)}\u0000`;
    expect(describeUnstorable(text)).toBe(`a NUL character (U+0000) after “…${PARTY}${"y".repeat(19)}”`);
  });
});

describe("truncateText", () => {
  it("leaves short text alone and cuts long text with an ellipsis, to the limit", () => {
    expect(truncateText("short", 10)).toBe("short");
    expect(truncateText("a longer sentence", 10)).toBe("a longer …");
    expect(truncateText("a longer sentence", 10).length).toBe(10);
    expect(truncateText("abcdef", 3, "")).toBe("abc");
  });

  it("never leaves half of a surrogate pair", () => {
    const text = `abcd${PARTY}efgh`;
    // Cutting at 6 with an ellipsis would end between the emoji's two halves.
    const cut = truncateText(text, 6);
    expect(cut).toBe("abcd…");
    expect(findUnstorable(cut)).toBeUndefined();
    expect(truncateText(text, 5, "")).toBe("abcd");
    expect(truncateText(text, 6, "")).toBe(`abcd${PARTY}`);
  });
});
