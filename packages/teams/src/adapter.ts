import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TeamDetails, type TurnContext } from "botbuilder";
import { type ConnectorClient, TeamsConnectorClient } from "botframework-connector";

/** The Bot Framework credentials (TEAMS_APP_* in CONTRACT.md), or none: local use and tests only. */
export type TeamsCredentials =
  | {
      readonly kind: "app";
      readonly appId: string;
      /** MultiTenant and SingleTenant apps have a client secret; a user-assigned managed identity has none. */
      readonly appPassword?: string;
      /** The app's home tenant: required for SingleTenant and UserAssignedMSI. */
      readonly appTenantId?: string;
      readonly appType: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
    }
  | { readonly kind: "unauthenticated" };

/** botbuilder's configuration for these credentials. */
export function botFrameworkOptions(credentials: TeamsCredentials) {
  return credentials.kind === "app"
    ? {
        MicrosoftAppId: credentials.appId,
        MicrosoftAppPassword: credentials.appPassword ?? "",
        MicrosoftAppType: credentials.appType,
        MicrosoftAppTenantId: credentials.appTenantId ?? "",
      }
    : { MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppType: "MultiTenant", MicrosoftAppTenantId: "" };
}

/** A connector call with no answer after this long has an unknown outcome (Slack's WebClient waits as long). */
export const CONNECTOR_TIMEOUT_MS = 10_000;

/** How the adapter's calls to the connector go out. */
export interface ConnectorOptions {
  /**
   * Each connector request given up after this long, answered or not (a connector that takes a
   * message and never answers would otherwise hold the call for good).
   */
  readonly timeoutMs?: number;
}

/**
 * The CloudAdapter with botbuilder's own authentication: incoming activities' JWTs are checked
 * against the app id, and replies carry a token for it. With no app id, botbuilder checks nothing
 * and sends no token (what the Bot Framework Emulator and the tests' fake connector expect); the
 * server refuses that in production.
 *
 * Its connector calls are never sent twice by botbuilder's HTTP pipeline (which otherwise repeats
 * 5xx, 408, 429 and dropped connections up to three times: a 500 after Teams took a message would
 * post it again), and each is given up after `timeoutMs`. Whoever sends decides what a failure
 * means: the outbox for a nudge, saved.ts for a turn's reply.
 */
export function createAdapter(credentials: TeamsCredentials, connector: ConnectorOptions = {}): CloudAdapter {
  return new CloudAdapter(new ConnectorShapingAuthentication(botFrameworkOptions(credentials), connector));
}

/** A connector timeout: the request went out and no answer came in time, so its outcome is unknown. */
export class ConnectorTimeout extends Error {
  override readonly name = "ConnectorTimeout";
  constructor(readonly timeoutMs: number) {
    super(`the Bot Framework connector did not answer within ${timeoutMs / 1000} s`);
  }
}

/** The name @azure/core-rest-pipeline gives its retry policy (exponential, throttling and system errors). */
const RETRY_POLICY = "defaultRetryPolicy";

/** The parts of @azure/core-rest-pipeline's pipeline a connector client is shaped through. */
interface RestPipeline {
  getOrderedPolicies(): { readonly name: string }[];
  removePolicy(options: { readonly name: string }): unknown;
  addPolicy(
    policy: {
      readonly name: string;
      sendRequest(
        request: { abortSignal?: AbortSignal },
        next: (request: unknown) => Promise<unknown>,
      ): Promise<unknown>;
    },
    options?: { readonly phase?: "Serialize" },
  ): void;
}

type Authentication = ConfigurationBotFrameworkAuthentication;
type ConnectorFactory = ReturnType<Authentication["createConnectorFactory"]>;
type AuthenticateResult = Awaited<ReturnType<Authentication["authenticateRequest"]>>;

/**
 * botbuilder's authentication whose connector clients are shaped (`shapeConnector`): those of
 * proactive turns (createConnectorFactory) and those of a turn an incoming activity starts, whose
 * factory comes with the request's authentication. Every call a CloudAdapter makes itself (a send,
 * a reply, an update, Create Conversation) and those of `TeamsInfo` that use the turn's connector
 * client (the roster's Get Paged Members) come from a client made here. `TeamsInfo.getTeamDetails`
 * does not: it builds a TeamsConnectorClient of its own, unshaped; `fetchTeamDetails` below is the
 * shaped one.
 */
class ConnectorShapingAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    options: ReturnType<typeof botFrameworkOptions>,
    private readonly connector: ConnectorOptions,
  ) {
    super(options);
  }

  override createConnectorFactory(claimsIdentity: Parameters<Authentication["createConnectorFactory"]>[0]) {
    return this.shaped(super.createConnectorFactory(claimsIdentity));
  }

  override async authenticateRequest(...args: Parameters<Authentication["authenticateRequest"]>) {
    return this.shapedResult(await super.authenticateRequest(...args));
  }

  override async authenticateStreamingRequest(...args: Parameters<Authentication["authenticateStreamingRequest"]>) {
    return this.shapedResult(await super.authenticateStreamingRequest(...args));
  }

  private shapedResult(result: AuthenticateResult): AuthenticateResult {
    return result.connectorFactory ? { ...result, connectorFactory: this.shaped(result.connectorFactory) } : result;
  }

  private shaped(inner: ConnectorFactory): ConnectorFactory {
    return {
      create: async (serviceUrl: string, audience?: string) =>
        shapeConnector(await inner.create(serviceUrl, audience), this.connector),
    };
  }
}

/** Takes botbuilder's retries out of a connector client's pipeline and gives each request a deadline. */
export function shapeConnector<T extends object>(client: T, connector: ConnectorOptions): T {
  // ConnectorClient (and TeamsConnectorClient) keeps its @azure/core-client ServiceClient, and its
  // pipeline, as `client`.
  const pipeline = (client as unknown as { client?: { pipeline?: RestPipeline } }).client?.pipeline;
  if (!pipeline) throw new Error("a Bot Framework connector client without the pipeline botbuilder 4.23 gives it");
  if (!pipeline.getOrderedPolicies().some((policy) => policy.name === RETRY_POLICY)) {
    throw new Error(`botbuilder's connector pipeline has no ${RETRY_POLICY} to take out`);
  }
  pipeline.removePolicy({ name: RETRY_POLICY });
  const timeoutMs = connector.timeoutMs ?? CONNECTOR_TIMEOUT_MS;
  // In the first phase, so the deadline covers the whole request: signing (a token) and the wire.
  pipeline.addPolicy(
    {
      name: "touchpointConnectorDeadline",
      sendRequest(request, next) {
        const deadline = AbortSignal.timeout(timeoutMs);
        request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal, deadline]) : deadline;
        return new Promise((resolve, reject) => {
          const expire = () => reject(new ConnectorTimeout(timeoutMs));
          deadline.addEventListener("abort", expire, { once: true });
          next(request)
            .then(resolve, (error: unknown) => reject(deadline.aborted ? new ConnectorTimeout(timeoutMs) : error))
            .finally(() => deadline.removeEventListener("abort", expire));
        });
      },
    },
    { phase: "Serialize" },
  );
  return client;
}

/**
 * Get Team Details (the team's name and Microsoft 365 group), shaped as the adapter's own calls
 * are. botbuilder's `TeamsInfo.getTeamDetails` asks through a TeamsConnectorClient it builds from the
 * turn's connector client's credentials, which keeps botbuilder's retries and has no deadline; this
 * builds the same client, and shapes it.
 */
export async function fetchTeamDetails(
  context: TurnContext,
  teamId: string,
  connector: ConnectorOptions = {},
): Promise<TeamDetails> {
  const turnClient = context.turnState.get<ConnectorClient | undefined>(context.adapter.ConnectorClientKey);
  if (!turnClient) throw new Error("a turn without the connector client CloudAdapter gives it");
  const client = new TeamsConnectorClient(turnClient.credentials, { baseUri: context.activity.serviceUrl });
  return shapeConnector(client, connector).teams.fetchTeamDetails(teamId);
}
