namespace Hangar.ObjectStore.Auth;

internal sealed record ChunkSigningContext(byte[] SigningKey, string AmzDate, string Scope, string SeedSignature);
