using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Workspaces;

namespace FunctionsPlatform.Application.UnitTests.Common;

internal sealed class FakeRuntimeCatalog : IRuntimeCatalog
{
    public IReadOnlyList<RuntimeInfo> Runtimes { get; } =
    [
        new("node-20", "node", "Node.js", "20", "/usr/bin/node"),
        new("python-3.12", "python", "Python", "3.12", "/usr/bin/python3"),
    ];

    public string? DefaultRuntimeId => "node-20";
    public string Sandbox => "none";
    public RuntimeInfo? Find(string runtimeId) => Runtimes.FirstOrDefault(r => r.Id == runtimeId);
}

internal sealed class FakePrincipal : ICurrentPrincipal
{
    public bool IsAuthenticated { get; init; } = true;
    public string UserId { get; init; } = "usr_1";
    public bool IsAdmin { get; init; }
    public string? ApiKeyId { get; init; } = "key_1";
    public string? KeyWorkspaceId { get; init; }
    public IReadOnlySet<string> Scopes { get; init; } = new HashSet<string>();
    public string? KeyFunctionId { get; init; }
    public bool HasScope(string scope) => Scopes.Contains(scope);

    public static FakePrincipal Anonymous => new() { IsAuthenticated = false, UserId = "", ApiKeyId = null };
    public static FakePrincipal WithScopes(params string[] scopes) => new() { Scopes = new HashSet<string>(scopes) };
}

/// <summary>Members of <c>ws_mine</c> only; records which workspaces were checked.</summary>
internal sealed class FakeWorkspaceAccess : IWorkspaceAccess
{
    public const string MyWorkspace = "ws_mine";

    public List<string> Checked { get; } = [];

    public Task EnsureAccessAsync(string workspaceId, CancellationToken ct = default)
    {
        Checked.Add(workspaceId);
        return workspaceId == MyWorkspace ? Task.CompletedTask : throw new NotFoundException("Workspace", workspaceId);
    }

    public Task<IReadOnlyCollection<string>?> VisibleWorkspaceIdsAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyCollection<string>?>([MyWorkspace]);

    public Task<bool> CanSeeAsync(string workspaceId, CancellationToken ct = default)
    {
        Checked.Add(workspaceId);
        return Task.FromResult(workspaceId == MyWorkspace);
    }
}
