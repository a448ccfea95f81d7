import type { Context } from "@slack/bolt";
import type { Clock, Logger, OpenMentionSource, Storage } from "@touchpoint/core";

/** What every listener needs: the core's ports. Listeners parse, call one use case, render. */
export interface SlackDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  /** X, for checking a handle and token before they are saved; quick to give up, a modal waits 3 s at most. */
  readonly openXSource: OpenMentionSource;
}

/** The installation key a Slack request carries: the org for org-wide installs, else the workspace. */
export function installationKey(context: Context): string | undefined {
  return context.isEnterpriseInstall ? context.enterpriseId : context.teamId;
}

/** The tenant set before every listener runs (listeners/index.ts); every listener but uninstall events has one. */
export function tenantOf(context: Context): string {
  const tenantId = context.tenantId as string | undefined;
  if (!tenantId) throw new Error(`no Touchpoint tenant for Slack installation ${installationKey(context)}`);
  return tenantId;
}

/** Slack escapes &, < and > in what people type (its own markup keeps real brackets); read them back. */
export function fromSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
