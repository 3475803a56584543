namespace Hangar.Core.Logging;

/// <summary>The event ids <see cref="First"/>..<see cref="Last"/> belong to the component in <see cref="Namespace"/>.</summary>
public sealed record EventIdBlock(string Namespace, int First, int Last)
{
    public bool Contains(int id) => id >= First && id <= Last;
}
