-- Nudges and their deliveries are tenant data.
-- The scheduler's one look across tenants: which local date each tenant was last nudged for
-- (a column grant: never the message). The sender's: which deliveries are due, and the lease and
-- attempt count that keep two replicas off one delivery; and how many are dead, for the operator.
GRANT SELECT, INSERT, UPDATE, DELETE ON nudges TO touchpoint_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON nudge_deliveries TO touchpoint_app;
--> statement-breakpoint
ALTER TABLE nudges ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE nudges FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON nudges TO touchpoint_app
  USING (tenant_id = touchpoint_current_tenant()) WITH CHECK (tenant_id = touchpoint_current_tenant());
--> statement-breakpoint
ALTER TABLE nudge_deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE nudge_deliveries FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON nudge_deliveries TO touchpoint_app
  USING (tenant_id = touchpoint_current_tenant()) WITH CHECK (tenant_id = touchpoint_current_tenant());
--> statement-breakpoint
GRANT SELECT (tenant_id, local_date) ON nudges TO touchpoint_system;
--> statement-breakpoint
CREATE POLICY scheduler_dates ON nudges FOR SELECT TO touchpoint_system USING (true);
--> statement-breakpoint
GRANT SELECT (tenant_id, id, status, attempts, next_attempt_at, lease_owner, lease_expires_at),
  UPDATE (attempts, lease_owner, lease_expires_at)
  ON nudge_deliveries TO touchpoint_system;
--> statement-breakpoint
CREATE POLICY sender_claim ON nudge_deliveries FOR SELECT TO touchpoint_system USING (true);
--> statement-breakpoint
CREATE POLICY sender_lease ON nudge_deliveries FOR UPDATE TO touchpoint_system USING (true) WITH CHECK (true);
