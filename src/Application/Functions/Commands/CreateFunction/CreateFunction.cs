using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Schemas;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.Functions.Commands.CreateFunction;

/// <summary>POST /api/functions: the function and its first version <c>v1</c> (the given schemas, no files), made the default.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record CreateFunctionCommand(
    string WorkspaceId,
    string Name,
    string? Description,
    string? Source,
    string? InputSchemaId,
    string? OutputSchemaId,
    string? Runtime,
    string? Entrypoint,
    int? ProcessConcurrency = null) : ICommand<FunctionDto>, IWorkspaceScoped;

internal sealed class CreateFunctionHandler(
    IRepository<Function> functions,
    IRepository<FunctionVersion> versions,
    ISchemaReferences schemas,
    IRuntimeCatalog runtimes,
    IIdGenerator ids,
    ICurrentPrincipal principal,
    TimeProvider clock,
    IMapper mapper) : MediatR.IRequestHandler<CreateFunctionCommand, FunctionDto>
{
    public async Task<FunctionDto> Handle(CreateFunctionCommand request, CancellationToken cancellationToken)
    {
        // The validator has accepted Source already; an unknown name cannot reach here.
        _ = FunctionSourceNames.TryParse(request.Source ?? "custom", out var source);
        if (source == FunctionSource.System && !principal.IsAdmin)
        {
            throw new ForbiddenException("Only an admin can create system functions.");
        }

        await schemas.EnsureInWorkspaceAsync(request.WorkspaceId, request.InputSchemaId, "inputSchemaId", cancellationToken);
        await schemas.EnsureInWorkspaceAsync(request.WorkspaceId, request.OutputSchemaId, "outputSchemaId", cancellationToken);

        var runtime = request.Runtime ?? runtimes.DefaultRuntimeId
            ?? throw new ValidationException("runtime", "No runtime is installed on this host; pass one explicitly.");
        var now = clock.GetUtcNow();
        var function = Function.Create(
            ids.NewId(IdPrefixes.Function), request.WorkspaceId, request.Name, runtime, now,
            description: request.Description, source: source, createdBy: principal.UserId,
            settings: new FunctionSettings { Entrypoint = request.Entrypoint });
        var version = FunctionVersion.Create(ids.NewId(IdPrefixes.FunctionVersion), function.Id, "v1", request.InputSchemaId, request.OutputSchemaId, now);
        function.SetDefaultVersion(version, now);
        if (request.ProcessConcurrency is { } concurrency)
        {
            function.SetProcessConcurrency(concurrency, now);
        }

        functions.Add(function);
        versions.Add(version);
        return mapper.Map<FunctionDto>(function);
    }
}
