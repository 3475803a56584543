namespace Hangar.Client.Models;

/// <summary>The ProblemDetails body of every API error; <see cref="Code"/> is stable, <see cref="Detail"/> is the one-line message.</summary>
public sealed record ProblemInfo(string? Title, int? Status, string? Detail, string? Code);
