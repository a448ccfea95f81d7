-- Install scopes are tenant data: the installs of one organization and their (sealed)
-- conversation references, written and read on the tenant path once the installation has named
-- the tenant.
GRANT SELECT, INSERT, UPDATE, DELETE ON install_scopes TO touchpoint_app;
--> statement-breakpoint
-- Teams installs made before scopes were recorded: a team install is known by its team id (the
-- key its removal names) and its reference is the installation's own, sealed the same way. Other
-- scopes cannot be told apart in SQL (the conversation id is inside the sealed reference): core's
-- removeInstallScope records such an install's scope from its reference when it is first removed.
-- The schema owner is not a superuser in production and has no policy on installations, whose RLS
-- is forced: it is lifted for the copy (as 0011 does), and install_scopes is walled after it.
ALTER TABLE installations NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
INSERT INTO install_scopes (tenant_id, conversation_id, scope, reference, installed_by, created_at, updated_at)
SELECT tenant_id, team_id, 'team', secret, installed_by, created_at, updated_at
FROM installations
WHERE platform = 'teams' AND team_id IS NOT NULL
ON CONFLICT DO NOTHING;
--> statement-breakpoint
ALTER TABLE installations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE install_scopes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE install_scopes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON install_scopes TO touchpoint_app
  USING (tenant_id = touchpoint_current_tenant()) WITH CHECK (tenant_id = touchpoint_current_tenant());
--> statement-breakpoint
-- The key registry is read and written on the system path only (start-up checks, rotate-key).
GRANT SELECT, INSERT, DELETE ON sealing_keys TO touchpoint_system;
--> statement-breakpoint
ALTER TABLE sealing_keys ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE sealing_keys FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY key_registry ON sealing_keys TO touchpoint_system USING (true) WITH CHECK (true);

