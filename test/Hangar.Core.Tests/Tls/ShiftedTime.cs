namespace Hangar.Core.Tests.Tls;

/// <summary>The system clock moved by a fixed offset, to look at certificates from the future.</summary>
internal sealed class ShiftedTime(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
