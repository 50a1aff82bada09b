using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions.Compute;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Functions.Commands.CreateAppwriteFunction;

/// <summary>
/// POST /v1/functions: Appwrite's create. A chosen id or <c>unique()</c> (a generated <c>fun_…</c> id); the code comes
/// later as deployments, so no version is made.
/// </summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record CreateAppwriteFunctionCommand(string WorkspaceId, string? FunctionId, string? Name, string? Runtime, FunctionSettingsInput Settings)
    : ICommand<FunctionDetailsDto>, IWorkspaceScoped;

internal sealed class CreateAppwriteFunctionHandler(
    IRepository<Function> functions,
    IRuntimeCatalog runtimes,
    IHostCapacity host,
    IIdGenerator ids,
    ICurrentPrincipal principal,
    TimeProvider clock) : MediatR.IRequestHandler<CreateAppwriteFunctionCommand, FunctionDetailsDto>
{
    public async Task<FunctionDetailsDto> Handle(CreateAppwriteFunctionCommand request, CancellationToken cancellationToken)
    {
        if (AppwriteRuntimes.Find(runtimes, request.Runtime!) is null)
        {
            throw new NotFoundException("Runtime", request.Runtime, "function_runtime_unsupported");
        }

        var id = request.FunctionId == CustomIds.Unique ? ids.NewId(IdPrefixes.Function) : request.FunctionId!;
        if (await functions.AnyAsync(new FunctionIdTakenSpec(id), cancellationToken))
        {
            throw new ConflictException("Function with the requested ID already exists.", "function_already_exists");
        }

        var function = Function.Create(
            id, request.WorkspaceId, request.Name!, request.Runtime!, clock.GetUtcNow(), createdBy: principal.UserId,
            settings: request.Settings.ToSettings(kept: null, FunctionSettingsRules.DefaultSpecification(host)));
        functions.Add(function);
        return FunctionDetailsDto.From(function, []);
    }
}
