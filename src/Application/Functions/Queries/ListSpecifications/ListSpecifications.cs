using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions.Compute;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Functions.Queries.ListSpecifications;

/// <summary>GET /v1/functions/specifications: the CPU and memory sizes this host can honour (the executor enforces them).</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record ListSpecificationsQuery(string WorkspaceId) : IQuery<IReadOnlyList<ComputeSpecification>>, IWorkspaceScoped;

internal sealed class ListSpecificationsHandler(IHostCapacity host) : MediatR.IRequestHandler<ListSpecificationsQuery, IReadOnlyList<ComputeSpecification>>
{
    public Task<IReadOnlyList<ComputeSpecification>> Handle(ListSpecificationsQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(ComputeSpecifications.Honoured(host));
}
