export const SOCIAL_PLATFORMS = ["x", "bluesky", "mastodon"] as const;
export type SocialPlatform = (typeof SOCIAL_PLATFORMS)[number];

/** The organization's own account on a social platform, polled for mentions. */
export interface SocialAccount {
  readonly tenantId: string;
  readonly id: string;
  readonly platform: SocialPlatform;
  readonly handle: string;
  readonly externalUserId: string;
  readonly status: "active" | "paused";
  readonly createdAt: Date;
}

export interface ConnectSocialAccount {
  readonly platform: SocialPlatform;
  readonly handle: string;
  readonly externalUserId: string;
  /** Secret; the storage adapter encrypts it at rest and never returns it in listings. */
  readonly credentials: string;
}

/** Why an account stops being polled while the app is uninstalled; reinstalling resumes it. */
export const PAUSED_UNINSTALLED = "the app was uninstalled";
