import { describe, expect, it } from "vitest";
import { graphCredentialsFor, graphToken } from "./graph.js";

const APP_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const CONTOSO = "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b";
const FABRIKAM = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

describe("Graph credentials (no token is fetched here: only what botbuilder would ask Entra for)", () => {
  it("signs a multi-tenant app in to the tenant whose messages it reads, for Graph", async () => {
    const app = { kind: "app", appId: APP_ID, appPassword: "secret", appType: "MultiTenant" } as const;
    const contoso = await graphCredentialsFor(app, CONTOSO);
    expect(contoso.oAuthEndpoint).toBe(`https://login.microsoftonline.com/${CONTOSO}`);
    expect(contoso.oAuthScope).toBe("https://graph.microsoft.com");
    // botbuilder caches tokens by app id and scope: made per tenant, Contoso's is never Fabrikam's.
    const fabrikam = await graphCredentialsFor(app, FABRIKAM);
    expect(fabrikam.oAuthEndpoint).toBe(`https://login.microsoftonline.com/${FABRIKAM}`);
    expect(fabrikam.tokenCacheKey).not.toBe(contoso.tokenCacheKey);
  });

  it("signs a single-tenant app in to its own tenant", async () => {
    const app = {
      kind: "app",
      appId: APP_ID,
      appPassword: "secret",
      appType: "SingleTenant",
      appTenantId: CONTOSO,
    } as const;
    expect((await graphCredentialsFor(app, CONTOSO)).oAuthEndpoint).toBe(
      `https://login.microsoftonline.com/${CONTOSO}`,
    );
  });

  it("sends no token with unauthenticated local credentials", async () => {
    expect(await graphToken({ kind: "unauthenticated" })(CONTOSO)).toBeUndefined();
  });
});
