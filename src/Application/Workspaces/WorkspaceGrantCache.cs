using System.Collections.Concurrent;

namespace FunctionsPlatform.Application.Workspaces;

/// <summary>
/// Remembered "yes" answers to "may this caller see this workspace?", so a hot route (invoke, /v1 executions) does not
/// pay a membership query per request. Only grants are kept: a refusal is asked again every time, so a member added a
/// moment ago is let in at once. A workspace and a membership cannot be removed today; entries still expire after
/// <see cref="TimeToLive"/> so that a removal added later is honoured within it without touching this cache.
/// </summary>
public sealed class WorkspaceGrantCache(TimeProvider clock)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(5);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<Grant, DateTimeOffset> _grants = new();

    /// <summary>Who asks: the key's user, whether the key is an admin's, and the workspace the key is bound to (if any).</summary>
    public readonly record struct Grant(string UserId, bool Admin, string? KeyWorkspaceId, string WorkspaceId);

    public bool IsGranted(Grant grant) => _grants.TryGetValue(grant, out var until) && until > clock.GetUtcNow();

    public void Remember(Grant grant)
    {
        if (_grants.Count >= MaxEntries)
        {
            _grants.Clear();
        }

        _grants[grant] = clock.GetUtcNow() + TimeToLive;
    }
}
