using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions.Compute;
using FunctionsPlatform.Application.Variables;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Functions.Commands.ReconfigureFunction;

/// <summary>
/// PUT /v1/functions/{id}: Appwrite's full replace. <c>name</c> is required; an empty runtime or entrypoint keeps the
/// current one; the repository id, branch and path filters and the specifications are kept when omitted; every
/// other setting omitted goes back to its default.
/// </summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record ReconfigureFunctionCommand(string WorkspaceId, string FunctionId, string? Name, string? Runtime, FunctionSettingsInput Settings)
    : ICommand<FunctionDetailsDto>, IWorkspaceScoped;

internal sealed class ReconfigureFunctionHandler(
    IFunctionAccess access,
    IReadRepository<Variable> variables,
    IRuntimeCatalog runtimes,
    IHostCapacity host,
    TimeProvider clock) : MediatR.IRequestHandler<ReconfigureFunctionCommand, FunctionDetailsDto>
{
    public async Task<FunctionDetailsDto> Handle(ReconfigureFunctionCommand request, CancellationToken cancellationToken)
    {
        var function = await access.GetInWorkspaceAsync(request.WorkspaceId, request.FunctionId, cancellationToken, forWrite: true);
        if (!string.IsNullOrEmpty(request.Runtime) && AppwriteRuntimes.Find(runtimes, request.Runtime) is null)
        {
            throw new NotFoundException("Runtime", request.Runtime, "function_runtime_unsupported");
        }

        function.Reconfigure(request.Name!, request.Runtime, request.Settings.ToSettings(function, FunctionSettingsRules.DefaultSpecification(host)), clock.GetUtcNow());
        var vars = await variables.ListAsync(new VariablesOfFunctionInOrderSpec(function.Id), cancellationToken);
        return FunctionDetailsDto.From(function, vars.Select(VariableDto.From));
    }
}
