import {
  IDENTITY_PLATFORMS,
  MEMBER_ROLES,
  MENTION_KINDS,
  MENTION_STATUSES,
  PLATFORMS,
  SOCIAL_PLATFORMS,
  TOUCH_CHANNELS,
  TOUCH_SOURCES,
} from "@touchpoint/core";
import { describe, expect, it } from "vitest";
import { contactIdentities, members, mentions, socialAccounts, tenants, touchpoints } from "./schema.js";

// drizzle-kit reads schema.ts on its own, without the workspace's source condition, so the schema
// spells these lists out; this keeps them from drifting away from the core's.
describe("the schema's value lists", () => {
  it("match the core's", () => {
    expect(tenants.platform.enumValues).toEqual([...PLATFORMS]);
    expect(members.role.enumValues).toEqual([...MEMBER_ROLES]);
    expect(contactIdentities.platform.enumValues).toEqual([...IDENTITY_PLATFORMS]);
    expect(touchpoints.channel.enumValues).toEqual([...TOUCH_CHANNELS]);
    expect(touchpoints.source.enumValues).toEqual([...TOUCH_SOURCES]);
    expect(mentions.platform.enumValues).toEqual([...SOCIAL_PLATFORMS]);
    expect(mentions.kind.enumValues).toEqual([...MENTION_KINDS]);
    expect(mentions.status.enumValues).toEqual([...MENTION_STATUSES]);
    expect(socialAccounts.platform.enumValues).toEqual([...SOCIAL_PLATFORMS]);
  });
});
