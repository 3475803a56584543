namespace Hangar.Daemon.Mpg;

/// <summary>
/// One of Fly's Managed Postgres plans (flyctl's MPGPlans: name, CPU, memory) and what Hangar makes of it on one
/// host: nodes, default volume size, max_connections, shared_buffers (a quarter of the plan's memory) and the
/// pool's sizes. CPU and memory are not enforced here (nodes are processes, not VMs); they size the settings.
/// </summary>
internal sealed record MpgPlan(
    string Name,
    string DisplayName,
    string Cpu,
    int MemoryMb,
    int Nodes,
    int VolumeSizeGb,
    int MaxConnections,
    int SharedBuffersMb,
    int PoolSize,
    int MaxClientConnections)
{
    public string Memory => MemoryMb >= 1024 ? $"{MemoryMb / 1024} GB" : $"{MemoryMb} MB";
}
