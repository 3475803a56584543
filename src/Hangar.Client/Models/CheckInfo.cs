namespace Hangar.Client.Models;

/// <summary>One health check of a resource, as `fly checks list` shows it. Status: passing, warning or critical.</summary>
public sealed record CheckInfo(string Name, string Status, string Output, string Resource, DateTimeOffset CheckedAt);
