/**
 * Chat platforms wrap mentions and links in markup before the text reaches us: Slack sends
 * `<@U024BE7LH|amy>`, `<mailto:a@b.org|a@b.org>`, `<#C123|general>`, `<https://x.com/jane|x.com/jane>`;
 * Teams sends `<at>Amy</at>`. This reads one token of that markup.
 */
export type Markup =
  | { readonly kind: "colleague"; readonly userId: string | null; readonly label: string }
  | { readonly kind: "channel"; readonly label: string }
  | { readonly kind: "email"; readonly address: string }
  | { readonly kind: "link"; readonly url: string }
  | { readonly kind: "text"; readonly text: string };

const SLACK_USER = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/;
const SLACK_CHANNEL = /^<#([CG][A-Z0-9]+)(?:\|([^>]*))?>$/;
const SLACK_MAILTO = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/;
const SLACK_LINK = /^<(https?:\/\/[^|>]+)(?:\|[^>]*)?>$/;
const TEAMS_MENTION = /^<at>(.*)<\/at>$/;

export function readMarkup(token: string): Markup {
  let m = SLACK_USER.exec(token);
  if (m) return { kind: "colleague", userId: m[1] ?? null, label: m[2] ?? m[1] ?? "" };
  m = TEAMS_MENTION.exec(token);
  if (m) return { kind: "colleague", userId: null, label: m[1] ?? "" };
  m = SLACK_CHANNEL.exec(token);
  if (m) return { kind: "channel", label: m[2] ?? m[1] ?? "" };
  m = SLACK_MAILTO.exec(token);
  if (m) return { kind: "email", address: m[1] ?? "" };
  m = SLACK_LINK.exec(token);
  if (m) return { kind: "link", url: m[1] ?? "" };
  return { kind: "text", text: token };
}

/** Teams mentions hold spaces (`<at>Amy Lee</at>`); join them into one token before splitting. */
export function protectTeamsMentions(text: string): string {
  return text.replace(/<at>(.*?)<\/at>/g, (_all, label: string) => `"<at>${label}</at>"`);
}

const INLINE_MARKUP = /<(@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|mailto:[^|>]+|https?:\/\/[^|>]+)(?:\|([^>]*))?>/g;

/**
 * Free text (a note) as a person would write it, with the platform's markup read back:
 * `<@U1|amy>` → @amy, `<#C1|general>` → #general, `<https://x.org|x.org>` → https://x.org,
 * `<mailto:a@b.org|a@b.org>` → a@b.org, `<at>Amy</at>` → @Amy.
 */
export function plainText(text: string): string {
  return text
    .replace(INLINE_MARKUP, (_all, target: string, label: string | undefined) => {
      if (target.startsWith("@")) return `@${label || target.slice(1)}`;
      if (target.startsWith("#")) return `#${label || target.slice(1)}`;
      if (target.startsWith("mailto:")) return target.slice("mailto:".length);
      return target;
    })
    .replace(/<at>(.*?)<\/at>/g, "@$1");
}
