using System.Collections.Concurrent;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Schemas;

namespace FunctionsPlatform.Application.Executions;

/// <summary>
/// What an invoke reads before it runs code (the function, the version, the environment, its schemas' documents), kept for a few seconds so a
/// warm invoke does not pay three queries. Any saved change to them evicts at once on this instance (the domain events
/// below); another instance sees the change within <see cref="TimeToLive"/>. Entries are read-only snapshots.
/// </summary>
public sealed class FunctionSnapshotCache(TimeProvider clock)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(5);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry<Function>> _functions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<FunctionVersion>> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<FunctionVariables>> _variables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<string>> _schemaDocuments = new(StringComparer.Ordinal);

    private sealed record Entry<T>(T Value, DateTimeOffset ExpiresAt);

    /// <summary>A function's effective variables (workspace ones under its own), with the workspace for eviction.</summary>
    public sealed record FunctionVariables(string WorkspaceId, IReadOnlyDictionary<string, string> Values);

    public Task<Function?> FunctionAsync(string functionId, Func<Task<Function?>> load) => GetAsync(_functions, functionId, load);

    public Task<FunctionVersion?> VersionAsync(string versionId, Func<Task<FunctionVersion?>> load) => GetAsync(_versions, versionId, load);

    public async Task<FunctionVariables> VariablesAsync(string functionId, Func<Task<FunctionVariables>> load) =>
        (await GetAsync(_variables, functionId, async () => (FunctionVariables?)await load()))!;

    /// <summary>The JSON text of a schema a version validates its input or output against; null when it does not exist.</summary>
    public Task<string?> SchemaDocumentAsync(string schemaId, Func<Task<string?>> load) => GetAsync(_schemaDocuments, schemaId, load);

    public void EvictSchema(string schemaId) => _schemaDocuments.TryRemove(schemaId, out _);

    /// <summary>A workspace variable changed: every function of that workspace rereads its environment.</summary>
    public void EvictWorkspaceVariables(string workspaceId)
    {
        foreach (var entry in _variables.Where(v => v.Value.Value.WorkspaceId == workspaceId).ToList())
        {
            _variables.TryRemove(entry.Key, out _);
        }
    }

    public void EvictFunction(string functionId)
    {
        _functions.TryRemove(functionId, out _);
        _variables.TryRemove(functionId, out _);
        foreach (var version in _versions.Where(v => v.Value.Value.FunctionId == functionId).ToList())
        {
            _versions.TryRemove(version.Key, out _);
        }
    }

    private async Task<T?> GetAsync<T>(ConcurrentDictionary<string, Entry<T>> entries, string key, Func<Task<T?>> load) where T : class
    {
        var now = clock.GetUtcNow();
        if (entries.TryGetValue(key, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Value;
        }

        var value = await load();
        if (value is null)
        {
            entries.TryRemove(key, out _);
            return null;
        }

        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }

        entries[key] = new Entry<T>(value, now + TimeToLive);
        return value;
    }
}

/// <summary>
/// Drops a function's snapshots as soon as a change to it, its versions or its variables is saved. A change of a
/// version's files is evicted by <see cref="EventHandlers.PrepareCodeOnChange"/>, which reloads the snapshots right after
/// (one handler, so the reload cannot run before the eviction).
/// </summary>
internal sealed class EvictFunctionSnapshotsOnChange(FunctionSnapshotCache cache)
    : IDomainEventHandler<FunctionCodeChanged>, IDomainEventHandler<FunctionDetailsChanged>, IDomainEventHandler<FunctionSoftDeleted>,
      IDomainEventHandler<FunctionRestored>, IDomainEventHandler<FunctionPurged>, IDomainEventHandler<FunctionVersionChanged>
{
    public Task HandleAsync(FunctionCodeChanged domainEvent, CancellationToken ct) => Evict(domainEvent.FunctionId);
    public Task HandleAsync(FunctionDetailsChanged domainEvent, CancellationToken ct) => Evict(domainEvent.FunctionId);
    public Task HandleAsync(FunctionSoftDeleted domainEvent, CancellationToken ct) => Evict(domainEvent.FunctionId);
    public Task HandleAsync(FunctionRestored domainEvent, CancellationToken ct) => Evict(domainEvent.FunctionId);
    public Task HandleAsync(FunctionPurged domainEvent, CancellationToken ct) => Evict(domainEvent.FunctionId);
    public Task HandleAsync(FunctionVersionChanged domainEvent, CancellationToken ct) => Evict(domainEvent.FunctionId);

    private Task Evict(string functionId)
    {
        cache.EvictFunction(functionId);
        return Task.CompletedTask;
    }
}

/// <summary>Drops a schema's cached document as soon as a change to it is saved, so the next call validates against the new one.</summary>
internal sealed class EvictSchemaDocumentOnChange(FunctionSnapshotCache cache) : IDomainEventHandler<SchemaChanged>
{
    public Task HandleAsync(SchemaChanged domainEvent, CancellationToken ct)
    {
        cache.EvictSchema(domainEvent.SchemaId);
        return Task.CompletedTask;
    }
}
