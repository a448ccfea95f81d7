import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createDb, createSecretBox, createStorage } from "@touchpoint/db";
import autocannon from "autocannon";
import { startFakeSlack } from "../fakes/slack-web-api.js";
import { REPO_ROOT, startTouchpoint } from "../support/processes.js";
import { sign, slashCommand, triggerId } from "../support/slack-requests.js";

const SECRET = "bench-signing-secret";
const TEAM = "T0BENCHLOAD";
const CONNECTIONS = 50;
/**
 * The load alternates between the two apps in this many rounds, so that whatever else this machine
 * does meanwhile (its speed swings by a third from minute to minute) falls on both alike.
 */
const ROUNDS = 6;

export interface LoadFigures {
  readonly label: string;
  /** Over all rounds: the median round's p50, the worst round's p99, all requests over all the time. */
  readonly p50: number;
  readonly p99: number;
  readonly requestsPerSecond: number;
  readonly errors: number;
  readonly non2xx: number;
  /** Each round's requests/s, in order. */
  readonly rounds: readonly number[];
  /** CPU seconds this (virtual) machine lost to others while this app was loaded, where Linux says. */
  readonly stolenSeconds: number | undefined;
}

interface Round {
  readonly stolenSeconds: number | undefined;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly seconds: number;
  readonly errors: number;
  readonly non2xx: number;
}

/** CPU time the hypervisor gave other machines so far (/proc/stat's steal), in seconds; undefined off Linux. */
function stolen(): number | undefined {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]?.trim().split(/\s+/);
    const ticks = Number(cpu?.[8]);
    return Number.isFinite(ticks) ? ticks / 100 : undefined;
  } catch {
    return undefined;
  }
}

/** 50 connections for `seconds`, each request a freshly signed /touch with its own trigger id. */
async function load(url: string, seconds: number, text: string): Promise<Round> {
  const stolenBefore = stolen();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: "POST",
        path: "/slack/events",
        setupRequest: (request) => {
          const { body } = slashCommand({
            command: "/touch",
            text,
            teamId: TEAM,
            userId: "U0BENCH",
            responseUrl: "https://hooks.slack.invalid/commands/bench",
            triggerId: triggerId(),
          });
          const timestamp = Math.floor(Date.now() / 1000);
          return {
            ...request,
            body,
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              "x-slack-request-timestamp": String(timestamp),
              "x-slack-signature": sign(SECRET, body, timestamp),
            },
          };
        },
      },
    ],
  });
  const stolenAfter = stolen();
  return {
    stolenSeconds: stolenBefore === undefined || stolenAfter === undefined ? undefined : stolenAfter - stolenBefore,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    seconds: result.duration,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

function figures(label: string, rounds: readonly Round[]): LoadFigures {
  const sum = (pick: (r: Round) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  const p50s = rounds.map((r) => r.p50).sort((a, b) => a - b);
  return {
    label,
    p50: p50s[Math.floor(p50s.length / 2)] ?? 0,
    p99: Math.max(...rounds.map((r) => r.p99)),
    requestsPerSecond: sum((r) => r.requests) / sum((r) => r.seconds),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    rounds: rounds.map((r) => r.requests / r.seconds),
    stolenSeconds: rounds.some((r) => r.stolenSeconds === undefined) ? undefined : sum((r) => r.stolenSeconds ?? 0),
  };
}

async function bareBolt(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./bare-bolt.ts", import.meta.url))],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, BENCH_SIGNING_SECRET: SECRET },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const [chunk] = (await once(child.stdout, "data")) as [Buffer];
  return {
    url: `http://127.0.0.1:${chunk.toString().trim()}`,
    stop: async () => {
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

/**
 * /touch under load on real PostgreSQL: the Touchpoint server (its own process, as in production)
 * beside a bare Bolt app that only acks, loaded the same way in the same run.
 */
export async function benchSlackTouch(env: { appUrl: string; adminUrl: string; key: string }, seconds: number) {
  // The production form of the server: compiled, no TypeScript loader.
  execFileSync("pnpm", ["--silent", "turbo", "run", "build", "--output-logs=errors-only"], {
    cwd: REPO_ROOT,
    stdio: "inherit",
  });
  const fake = await startFakeSlack();
  const botToken = "xoxb-bench-token";
  fake.addWorkspace({ teamId: TEAM, teamName: "Bench Org", botToken, botUserId: "U0BOTBENCH", botId: "B0BENCH" });
  const server = await startTouchpoint(
    {
      DATABASE_URL: env.appUrl,
      DATABASE_ADMIN_URL: env.adminUrl,
      TOUCHPOINT_ENCRYPTION_KEY: env.key,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: botToken,
      SLACK_API_URL: fake.apiUrl,
    },
    {
      // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/profiles" shows where the server's time goes.
      nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [],
      built: true,
    },
  );
  const bare = await bareBolt();
  try {
    // The server recorded the workspace at start-up; give it someone to touch.
    const db = await createDb({ kind: "postgres", url: env.appUrl, maxConnections: 1 });
    const storage = createStorage(db.db, { secrets: createSecretBox(Buffer.from(env.key, "base64")) });
    const tenant = await storage.tenants.findByExternalId("slack", TEAM);
    if (!tenant) throw new Error("the bench server did not record its workspace");
    await storage.withTenant(tenant.id, async (r) => {
      if (!(await r.contacts.findByIdentity("x", { handle: "janedoe" }))) {
        await r.contacts.create({
          name: "Jane Doe",
          identities: [{ platform: "x", handle: "janedoe", externalUserId: null }],
        });
      }
    });
    await db.close();

    const text = "@janedoe called about the gala";
    // Warm-up: both apps' code compiled and connections open before anything counts.
    await load(server.url, 5, text);
    await load(bare.url, 5, text);
    const touch: Round[] = [];
    const baseline: Round[] = [];
    const perRound = Math.max(1, Math.round(seconds / ROUNDS));
    for (let round = 0; round < ROUNDS; round++) {
      touch.push(await load(server.url, perRound, text));
      baseline.push(await load(bare.url, perRound, text));
    }
    return { touch: figures("Touchpoint /touch", touch), baseline: figures("bare Bolt app (ack only)", baseline) };
  } finally {
    await bare.stop();
    await server.stop();
    await fake.close();
  }
}
