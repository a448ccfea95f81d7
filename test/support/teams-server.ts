import {
  loadEnv,
  type OpenDatabase,
  type RunningServer,
  sharedDatabase,
  silentLogger,
  startServer,
} from "@touchpoint/server/testing";
import { afterAll, beforeAll, expect } from "vitest";
import { type FakeGraph, startFakeGraph } from "../fakes/graph.js";
import { type FakeTeamsConnector, startFakeTeamsConnector } from "../fakes/teams-connector.js";
import { personalChat, type TeamsOrg, teamsActivities, teamsClient, teamsOrg } from "./teams-activities.js";

/** An organization the tests talk as: what it says, and a personal chat with the bot. */
export interface TestOrg extends TeamsOrg {
  readonly say: ReturnType<typeof teamsActivities>;
  readonly chat: ReturnType<typeof personalChat>;
}

/** …with the Touchpoint tenant its install created. */
export interface InstalledOrg extends TestOrg {
  /** The Touchpoint tenant's id. */
  readonly touchpointId: string;
}

/**
 * A Touchpoint server with Teams on (no credentials: the fake connector sends no token) and a
 * fake Bot Framework connector, started before the file's tests and stopped after, on the
 * worker's shared database. `env` adds to or overrides the server's settings; with `graph`, a fake
 * Microsoft Graph over the connector's messages too (TEAMS_GRAPH_URL).
 */
export function useTeamsServer(env: Record<string, string> = {}, options: { readonly graph?: boolean } = {}) {
  let fake: FakeTeamsConnector;
  let graph: FakeGraph | undefined;
  let server: RunningServer;
  let database: OpenDatabase;

  beforeAll(async () => {
    fake = await startFakeTeamsConnector();
    if (options.graph) graph = await startFakeGraph(fake);
    database = await sharedDatabase();
    const settings = loadEnv({
      // Unauthenticated Teams starts only in development or tests, on a loopback address.
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      TEAMS_ALLOW_UNAUTHENTICATED: "true",
      TOUCHPOINT_SCHEDULER: "off",
      ...(graph && { TEAMS_GRAPH_URL: graph.url }),
      ...env,
    });
    server = await startServer(settings, silentLogger, { database });
  });
  afterAll(async () => {
    await server?.stop();
    await graph?.close();
    await fake?.close();
  });

  const client = teamsClient({ fake: () => fake, serverUrl: () => server.http.url });

  /** A new organization on Teams, without Touchpoint yet; its team's roster is its two people. */
  function organization(name: string): TestOrg {
    const teams = teamsOrg(name);
    fake.setMembers(
      teams.team.id,
      teams.tenantId,
      [teams.installer, teams.member].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })),
    );
    return { ...teams, say: teamsActivities(teams, () => fake.serviceUrl), chat: personalChat() };
  }

  /**
   * The app added to the organization's team (a new organization when given a name): both install
   * events at once, as Teams may deliver them.
   */
  async function install(org: string | TestOrg): Promise<InstalledOrg> {
    const o = typeof org === "string" ? organization(org) : org;
    const [update, added] = await Promise.all([
      client.send(o.say.installationUpdate("add")),
      client.send(o.say.botAdded()),
    ]);
    expect([update.status, added.status]).toEqual([200, 200]);
    const tenant = await database.storage.tenants.findByExternalId("teams", o.tenantId);
    if (!tenant) throw new Error("the install created no tenant");
    return { ...o, touchpointId: tenant.id };
  }

  return {
    ...client,
    organization,
    install,
    fake: () => fake,
    /** The fake Graph (`options.graph`). */
    graph: () => {
      if (!graph) throw new Error("useTeamsServer was not asked for a fake Graph");
      return graph;
    },
    server: () => server,
    database: () => database,
  };
}
