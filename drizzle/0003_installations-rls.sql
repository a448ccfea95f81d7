-- Installations are found by team id before the tenant is known: only the system role reads and
-- writes them (its policies name exactly this table). The app role is granted nothing on them (it
-- never needs the sealed tokens); the tenant policy is the wall should that ever change.
-- Pending actions are ordinary tenant data.
GRANT SELECT, INSERT, UPDATE, DELETE ON installations TO touchpoint_system;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON pending_actions TO touchpoint_app;
--> statement-breakpoint
ALTER TABLE installations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE installations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON installations TO touchpoint_app
  USING (tenant_id = touchpoint_current_tenant()) WITH CHECK (tenant_id = touchpoint_current_tenant());
--> statement-breakpoint
CREATE POLICY installation_directory ON installations TO touchpoint_system USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE pending_actions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE pending_actions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON pending_actions TO touchpoint_app
  USING (tenant_id = touchpoint_current_tenant()) WITH CHECK (tenant_id = touchpoint_current_tenant());
