namespace Hangar.Client.Models;

/// <summary>A dashboard page's URL and a one-time link that logs the browser in and opens it.</summary>
public sealed record DashboardLink(string Url, string LoginUrl, DateTimeOffset LoginExpiresAt);
