namespace Hangar.Client.Models;

public sealed record ExtendVolumeRequest(int SizeGb);
