namespace Hangar.Core.Resources;

/// <summary>Fly's --auto-extend-*: when usage crosses ThresholdPercent of the size, grow by IncrementGb up to LimitGb.</summary>
public sealed record AutoExtend(int ThresholdPercent, int IncrementGb, int LimitGb);
