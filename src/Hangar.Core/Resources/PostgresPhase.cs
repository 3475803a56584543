namespace Hangar.Core.Resources;

public enum PostgresPhase
{
    Pending,
    Running,
    Destroying,
    Failed,
}
