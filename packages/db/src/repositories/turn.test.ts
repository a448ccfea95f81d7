import { describe, expect, it } from "vitest";
import { createTurn } from "./turn.js";

describe("createTurn", () => {
  it("sends the calls of one turn together, each kind once, in the order the kinds were first called", async () => {
    const turn = createTurn();
    const sent: string[] = [];
    const double = turn.coalesce(async (keys: readonly number[]) => {
      sent.push(`double ${keys.join(",")}`);
      return keys.map((k) => k * 2);
    });
    const shout = turn.coalesce(async (keys: readonly string[]) => {
      sent.push(`shout ${keys.join(",")}`);
      return keys.map((k) => Promise.resolve(k.toUpperCase()));
    });

    const first = await Promise.all([shout("a"), double(1), shout("b"), double(2)]);
    expect(first).toEqual(["A", 2, "B", 4]);
    // A later turn is a batch of its own, in its own order.
    expect(await Promise.all([double(3), shout("c")])).toEqual([6, "C"]);
    expect(sent).toEqual(["shout a,b", "double 1,2", "double 3", "shout c"]);
  });

  it("fails only the batch whose run failed, whether it rejected or threw at once", async () => {
    const turn = createTurn();
    const rejects = turn.coalesce(async (_keys: readonly number[]): Promise<number[]> => {
      throw new Error("rejected");
    });
    const throws = turn.coalesce((_keys: readonly number[]): Promise<number[]> => {
      throw new Error("thrown");
    });
    const works = turn.coalesce(async (keys: readonly number[]) => keys);
    const outcomes = await Promise.allSettled([rejects(1), throws(2), works(3), rejects(4)]);
    expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value : (o.reason as Error).message))).toEqual([
      "rejected",
      "thrown",
      3,
      "rejected",
    ]);
  });
});
