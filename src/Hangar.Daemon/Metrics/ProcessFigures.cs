namespace Hangar.Daemon.Metrics;

internal sealed record ProcessFigures(string Name, int Restarts, bool Running);
