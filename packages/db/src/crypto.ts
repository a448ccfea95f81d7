import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Credentials at rest: AES-256-GCM with a fresh 96-bit nonce per value. The stored envelope is
 * `v1.<nonce>.<tag>.<ciphertext>` in base64url, so a future key rotation can add `v2` alongside.
 */
export interface SecretBox {
  seal(plaintext: string): string;
  open(envelope: string): string;
}

const VERSION = "v1";

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error(`the encryption key must be 32 bytes, not ${key.length}`);
  return {
    seal(plaintext) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, nonce);
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [VERSION, nonce, cipher.getAuthTag(), ciphertext]
        .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
        .join(".");
    },
    open(envelope) {
      const [version, nonce, tag, ciphertext] = envelope.split(".");
      if (version !== VERSION || !nonce || !tag || ciphertext === undefined) {
        throw new Error("not a sealed value (expected v1.<nonce>.<tag>.<ciphertext>)");
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    },
  };
}
