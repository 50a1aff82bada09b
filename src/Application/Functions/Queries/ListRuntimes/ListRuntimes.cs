using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions.Compute;

namespace FunctionsPlatform.Application.Functions.Queries.ListRuntimes;

/// <summary>GET /v1/functions/runtimes: what this host can run, by Appwrite id. Public, as in Appwrite.</summary>
[AllowAnonymousRequest]
public sealed record ListRuntimesQuery : IQuery<IReadOnlyList<AppwriteRuntime>>;

internal sealed class ListRuntimesHandler(IRuntimeCatalog runtimes) : MediatR.IRequestHandler<ListRuntimesQuery, IReadOnlyList<AppwriteRuntime>>
{
    public Task<IReadOnlyList<AppwriteRuntime>> Handle(ListRuntimesQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(AppwriteRuntimes.On(runtimes));
}
