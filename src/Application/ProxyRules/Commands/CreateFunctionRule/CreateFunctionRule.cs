using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.ProxyRules.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.ProxyRules;

namespace FunctionsPlatform.Application.ProxyRules.Commands.CreateFunctionRule;

/// <summary>
/// POST /v1/proxy/rules/function (what <c>appwrite push</c> calls after creating a function): from now on a request to
/// <see cref="Domain"/> runs the function's current code. A domain serves one function across the whole server.
/// </summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record CreateFunctionRuleCommand(string WorkspaceId, string? Domain, string? FunctionId, string? Branch)
    : ICommand<ProxyRuleDto>, IWorkspaceScoped;

internal sealed class CreateFunctionRuleHandler(
    IFunctionAccess functions,
    IRepository<ProxyRule> rules,
    DomainSettings settings,
    IIdGenerator ids,
    TimeProvider clock) : MediatR.IRequestHandler<CreateFunctionRuleCommand, ProxyRuleDto>
{
    public async Task<ProxyRuleDto> Handle(CreateFunctionRuleCommand request, CancellationToken cancellationToken)
    {
        var rule = ProxyRule.ForFunction(
            ids.NewId(IdPrefixes.ProxyRule), request.WorkspaceId, request.Domain!, request.FunctionId!, settings.FunctionsDomain, clock.GetUtcNow());
        try
        {
            await functions.GetInWorkspaceAsync(request.WorkspaceId, request.FunctionId!, cancellationToken);
        }
        catch (NotFoundException)
        {
            throw new NotFoundException("Function", request.FunctionId, "rule_resource_not_found");
        }

        if (await rules.AnyAsync(new ProxyRuleByDomainSpec(rule.Domain), cancellationToken))
        {
            throw new ConflictException("Domain already assigned to a rule.", "rule_already_exists");
        }

        rules.Add(rule);
        return ProxyRuleDto.From(rule);
    }
}
