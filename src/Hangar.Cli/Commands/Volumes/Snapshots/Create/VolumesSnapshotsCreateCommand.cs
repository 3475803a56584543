using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Volumes.Snapshots.Create;

internal static class VolumesSnapshotsCreateCommand
{
    public static Command Create()
    {
        var id = VolumeArguments.Id();
        return new Command("create", "Take a snapshot of a volume now").With(id).Runs(async (context, ct) =>
        {
            var snapshot = await context.Client.CreateSnapshotAsync(context.Get(id), ct);
            context.Out.Write(snapshot, s => Output.Line($"Snapshot {s.Id} of volume {s.VolumeId} created ({Output.Bytes(s.SizeBytes)}, sha256 {s.Sha256})"));
            return 0;
        });
    }
}
