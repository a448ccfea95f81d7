import { describe, expect, it } from "vitest";
import { unwrap, unwrapErr } from "../testing/builders.js";
import { nextToken, tokenize } from "./tokenize.js";

const values = (text: string) => unwrap(tokenize(text)).map((token) => token.value);

describe("tokenize", () => {
  it("splits on any whitespace", () => {
    expect(values("  show\t@jane \n gala ")).toEqual(["show", "@jane", "gala"]);
    expect(values("")).toEqual([]);
  });

  it("groups words in straight and curly quotes, dropping the quotes from the value", () => {
    expect(values('add "Jane Doe" “Sam Lee” „Ana Ruiz“ «Li Wei»')).toEqual([
      "add",
      "Jane Doe",
      "Sam Lee",
      "Ana Ruiz",
      "Li Wei",
    ]);
  });

  it("lets a curly quote close with any closing quote, but a straight quote only with a straight one", () => {
    expect(values('“Jane Doe" x')).toEqual(["Jane Doe", "x"]);
    expect(unwrapErr(tokenize('"Jane Doe” x'))).toMatch(/is never closed/);
  });

  it("joins quoted parts into the surrounding token, as shells do", () => {
    const [token] = unwrap(tokenize('segment:"major donor" next'));
    expect(token).toEqual({ value: "segment:major donor", raw: 'segment:"major donor"', quoted: true, end: 21 });
  });

  it("marks unquoted tokens and records where each ends", () => {
    expect(unwrap(nextToken("  @jane called", 0))).toEqual({ value: "@jane", raw: "@jane", quoted: false, end: 7 });
    expect(unwrap(nextToken("@jane   ", 5))).toBeUndefined();
  });

  it("reports a quote that is never closed, quoting where it opened", () => {
    expect(unwrapErr(tokenize('show "Jane Doe'))).toBe('a quote opened at "\\"Jane Doe" is never closed');
  });
});
