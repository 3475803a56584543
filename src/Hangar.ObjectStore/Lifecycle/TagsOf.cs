using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Lifecycle;

/// <summary>
/// The tags of a stored version, for rules with Tag filters. Object tagging is stored elsewhere (its own
/// feature); the lifecycle code only asks through this delegate, so wiring it is one line in <see cref="LifecycleTags"/>.
/// </summary>
internal delegate IReadOnlyDictionary<string, string> TagsOf(ObjectVersion version);
