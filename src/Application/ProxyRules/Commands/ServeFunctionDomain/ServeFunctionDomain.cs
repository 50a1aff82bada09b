using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Application.Executions.Running;
using FunctionsPlatform.Application.Functions.Specifications;
using FunctionsPlatform.Application.ProxyRules.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.ProxyRules;

namespace FunctionsPlatform.Application.ProxyRules.Commands.ServeFunctionDomain;

/// <summary>
/// A request to a function's domain: nobody signs in, so the function must let <c>any</c> (or <c>guests</c>) execute it,
/// as on Appwrite. It runs synchronously with trigger <c>http</c> and is recorded like any execution.
/// </summary>
/// <param name="Host">The request's host name, without its port.</param>
/// <param name="Path">Path and query string, as received.</param>
/// <param name="Body">The request body's bytes, handed to the function as they came (an upload need not be text).</param>
[AllowAnonymousRequest]
public sealed record ServeFunctionDomainCommand(string Host, string Method, string Path, IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body)
    : ISelfSavingCommand<FunctionDomainResponse>;

internal sealed class ServeFunctionDomainHandler(
    IReadRepository<ProxyRule> rules,
    IReadRepository<Function> functions,
    FunctionSnapshotCache snapshots,
    SynchronousExecutionRunner runner,
    IIdGenerator ids,
    TimeProvider clock) : MediatR.IRequestHandler<ServeFunctionDomainCommand, FunctionDomainResponse>
{
    private static readonly string[] PublicRoles = ["any", "guests"];

    public async Task<FunctionDomainResponse> Handle(ServeFunctionDomainCommand request, CancellationToken cancellationToken)
    {
        var rule = await rules.FirstOrDefaultAsync(new ProxyRuleByDomainSpec(ProxyRule.Normalize(request.Host)), cancellationToken)
            ?? throw HostNotFound();
        var function = await snapshots.FunctionAsync(rule.FunctionId, () => functions.FirstOrDefaultAsync(new FunctionByIdSpec(rule.FunctionId), cancellationToken));
        if (function is null || function.IsDeleted || function.WorkspaceId != rule.WorkspaceId)
        {
            throw HostNotFound();
        }

        if (!function.Execute.Any(role => PublicRoles.Contains(role, StringComparer.Ordinal)))
        {
            throw new UnauthorizedException(
                "To execute a function through its domain, its execute permissions must include \"any\" or \"guests\".", "user_unauthorized");
        }

        function.EnsureLive();
        var (deploymentId, versionId) = ExecutionCode.CurrentOf(function);
        if (deploymentId is null && versionId is null)
        {
            throw new NotFoundException("Deployment", null, "deployment_not_found");
        }

        var execution = Execution.Create(
            ids.NewId(IdPrefixes.Execution), function.Id, function.WorkspaceId, ExecutionTrigger.Http, request.Method, request.Path,
            [.. request.Headers.Select(h => new HeaderPair(h.Key.ToLowerInvariant(), h.Value))], body: null, clock.GetUtcNow(),
            deploymentId, versionId, scheduledAt: null, async: false, createdBy: null);
        var run = await runner.RunAndRecordAsync(function, execution, request.Body, cancellationToken);
        if (run.StoppedAtSyncLimit)
        {
            throw new RequestTimeoutException(
                $"The function did not answer within {SynchronousExecutionRunner.MaxSyncTimeoutSeconds} seconds.", "function_synchronous_timeout");
        }

        return new FunctionDomainResponse(execution.ResponseStatusCode, execution.ResponseHeaders, run.ResponseBody);
    }

    private static NotFoundException HostNotFound() => new("Host", null, "router_host_not_found");
}
