import { describe, expect, it } from "vitest";
import { cadenceFor, FALLBACK_CADENCE_DAYS, isValidCadence, segmentWeight } from "./cadence.js";

describe("cadenceFor", () => {
  const settings = { cadenceBySegment: { donor: 45, "school board": 14 } };

  it("takes the contact's own cadence first", () => {
    expect(cadenceFor({ cadenceDays: 7, segment: "donor" }, settings)).toBe(7);
  });

  it("then the tenant's cadence for the segment", () => {
    expect(cadenceFor({ cadenceDays: null, segment: "donor" }, settings)).toBe(45);
    expect(cadenceFor({ cadenceDays: null, segment: "school board" }, settings)).toBe(14);
  });

  it("then the built-in default for the segment, then the fallback", () => {
    expect(cadenceFor({ cadenceDays: null, segment: "major donor" }, settings)).toBe(30);
    expect(cadenceFor({ cadenceDays: null, segment: "press" }, settings)).toBe(60);
    expect(cadenceFor({ cadenceDays: null, segment: "alumni" }, settings)).toBe(FALLBACK_CADENCE_DAYS);
    expect(cadenceFor({ cadenceDays: null, segment: null }, settings)).toBe(FALLBACK_CADENCE_DAYS);
  });
});

describe("segmentWeight", () => {
  it("ranks major donors above the board above everyone else", () => {
    expect(segmentWeight("major donor")).toBe(5);
    expect(segmentWeight("board")).toBe(4);
    expect(segmentWeight("supporter")).toBe(2);
    expect(segmentWeight("alumni")).toBe(1);
    expect(segmentWeight(null)).toBe(1);
  });
});

describe("isValidCadence", () => {
  it("accepts whole days from 1 to 3650", () => {
    expect([1, 30, 3650].map(isValidCadence)).toEqual([true, true, true]);
    expect([0, -1, 3651, 1.5, Number.NaN].map(isValidCadence)).toEqual([false, false, false, false, false]);
  });
});
