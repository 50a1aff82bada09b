using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Deployments;
using FunctionsPlatform.Application.ProxyRules;

namespace FunctionsPlatform.Application.Console.Queries.GetConsoleVariables;

/// <summary>
/// GET /v1/console/variables: the server settings Appwrite's console and CLI read (<c>appwrite push</c> names a new
/// function's domain after <c>_APP_DOMAIN_FUNCTIONS</c>). Any signed-in caller; a function's key is refused.
/// </summary>
public sealed record GetConsoleVariablesQuery : IQuery<ConsoleVariablesDto>;

public sealed record ConsoleVariablesDto(string FunctionsDomain, long ComputeSizeLimit);

internal sealed class GetConsoleVariablesHandler(DomainSettings domains, DeploymentSettings deployments)
    : MediatR.IRequestHandler<GetConsoleVariablesQuery, ConsoleVariablesDto>
{
    public Task<ConsoleVariablesDto> Handle(GetConsoleVariablesQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(new ConsoleVariablesDto(domains.FunctionsDomain, deployments.MaxSizeBytes));
}
