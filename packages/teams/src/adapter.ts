import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";

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

/** How the adapter's calls to the connector go out (the nudge's sender sets both). */
export interface ConnectorOptions {
  /**
   * Each connector request given up after this long, answered or not (a connector that takes a
   * message and never answers would otherwise hold the call for good).
   */
  readonly timeoutMs?: number;
  /**
   * Off: no request is sent again by botbuilder's HTTP pipeline (which otherwise repeats 5xx, 408,
   * 429 and dropped connections up to three times, under the outbox's own retries).
   */
  readonly retries?: "botbuilder" | "off";
}

/**
 * The CloudAdapter with botbuilder's own authentication: incoming activities' JWTs are checked
 * against the app id, and replies carry a token for it. With no app id, botbuilder checks nothing
 * and sends no token (what the Bot Framework Emulator and the tests' fake connector expect); the
 * server refuses that in production.
 */
export function createAdapter(credentials: TeamsCredentials, connector: ConnectorOptions = {}): CloudAdapter {
  const options = botFrameworkOptions(credentials);
  if (connector.retries !== "off" && connector.timeoutMs === undefined) {
    return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
  }
  return new CloudAdapter(new ConnectorShapingAuthentication(options, connector));
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

/**
 * botbuilder's authentication whose connector clients are shaped as `ConnectorOptions` says. Every
 * connector call a CloudAdapter makes (a send, a reply, an update, Create Conversation) comes from
 * a client this factory made.
 */
class ConnectorShapingAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    options: ReturnType<typeof botFrameworkOptions>,
    private readonly connector: ConnectorOptions,
  ) {
    super(options);
  }

  override createConnectorFactory(
    claimsIdentity: Parameters<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>[0],
  ): ReturnType<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]> {
    const inner = super.createConnectorFactory(claimsIdentity);
    return {
      create: async (serviceUrl: string, audience?: string) =>
        shapeConnector(await inner.create(serviceUrl, audience), this.connector),
    };
  }
}

/** Takes botbuilder's retries out of a connector client's pipeline and gives each request a deadline. */
export function shapeConnector<T extends object>(client: T, connector: ConnectorOptions): T {
  // ConnectorClient keeps its @azure/core-client ServiceClient (and its pipeline) as `client`.
  const pipeline = (client as unknown as { client?: { pipeline?: RestPipeline } }).client?.pipeline;
  if (!pipeline) throw new Error("a Bot Framework connector client without the pipeline botbuilder 4.23 gives it");
  if (connector.retries === "off") {
    if (!pipeline.getOrderedPolicies().some((policy) => policy.name === RETRY_POLICY)) {
      throw new Error(`botbuilder's connector pipeline has no ${RETRY_POLICY} to take out`);
    }
    pipeline.removePolicy({ name: RETRY_POLICY });
  }
  const timeoutMs = connector.timeoutMs;
  if (timeoutMs !== undefined) {
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
  }
  return client;
}
