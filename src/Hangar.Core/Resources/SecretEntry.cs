namespace Hangar.Core.Resources;

/// <summary>One secret, encrypted (AES-256-GCM, base64 of nonce|ciphertext|tag); the digest is a keyed hash, never the value.</summary>
public sealed record SecretEntry(string Ciphertext, string Digest, DateTimeOffset CreatedAt);
