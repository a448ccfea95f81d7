-- Own posts are ordinary tenant data.
-- The poller's claim is the system role's one look across social accounts: which are due, and
-- the lease that keeps two replicas off one account. Column grants keep it to exactly that: it
-- reads no handles, credentials or cursors, and writes only the lease.
-- Request budgets are shared by the tenants that use one app's credential, keyed by its hash:
-- not tenant data, so only the system role reads and writes them.
GRANT SELECT, INSERT, UPDATE, DELETE ON own_posts TO touchpoint_app;
--> statement-breakpoint
ALTER TABLE own_posts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE own_posts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON own_posts TO touchpoint_app
  USING (tenant_id = touchpoint_current_tenant()) WITH CHECK (tenant_id = touchpoint_current_tenant());
--> statement-breakpoint
GRANT SELECT (tenant_id, id, status, next_poll_at, lease_owner, lease_expires_at),
  UPDATE (lease_owner, lease_expires_at)
  ON social_accounts TO touchpoint_system;
--> statement-breakpoint
CREATE POLICY poller_claim ON social_accounts FOR SELECT TO touchpoint_system USING (true);
--> statement-breakpoint
CREATE POLICY poller_lease ON social_accounts FOR UPDATE TO touchpoint_system USING (true) WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON request_budgets TO touchpoint_system;
