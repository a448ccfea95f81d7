/**
 * The baseline for the /touch load test: a Bolt app on the same receiver that only acks. Whatever
 * it manages per second is what signature checks, body parsing and Node's HTTP cost on this
 * machine, before any Touchpoint work. Prints its port, then serves until killed.
 */
import { App, HTTPReceiver } from "@slack/bolt";

const receiver = new HTTPReceiver({ signingSecret: process.env.BENCH_SIGNING_SECRET ?? "" });
const app = new App({
  receiver,
  authorize: async () => ({ botToken: "xoxb-bench", botId: "B0BENCH", botUserId: "U0BENCH" }),
});
app.command("/touch", async ({ ack }) => {
  await ack({ response_type: "ephemeral", text: "ok" });
});
const server = await receiver.start(0);
const address = server.address();
process.stdout.write(`${typeof address === "object" && address ? address.port : 0}\n`);
