using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Common.Validation;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.FunctionVersions.Specifications;
using FunctionsPlatform.Application.Schemas;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.FunctionVersions.Commands.CreateFunctionVersion;

/// <summary>POST /api/function-versions: a new version of the function named in the body; name defaults to <c>v{n}</c>.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record CreateFunctionVersionCommand(string FunctionId, string? Name, string? InputSchemaId, string? OutputSchemaId, IReadOnlyList<VersionFileInput>? Files)
    : ICommand<FunctionVersionDto>;

internal sealed class CreateFunctionVersionHandler(
    IFunctionAccess functions, IRepository<FunctionVersion> versions, ISchemaReferences schemas, IIdGenerator ids, TimeProvider clock, IMapper mapper)
    : MediatR.IRequestHandler<CreateFunctionVersionCommand, FunctionVersionDto>
{
    public async Task<FunctionVersionDto> Handle(CreateFunctionVersionCommand request, CancellationToken cancellationToken)
    {
        var function = await functions.GetWritableAsync(request.FunctionId, cancellationToken);
        function.EnsureLive();
        await schemas.EnsureInWorkspaceAsync(function.WorkspaceId, request.InputSchemaId, "inputSchemaId", cancellationToken);
        await schemas.EnsureInWorkspaceAsync(function.WorkspaceId, request.OutputSchemaId, "outputSchemaId", cancellationToken);
        var name = request.Name ?? $"v{await versions.CountAsync(new VersionCountOfFunctionSpec(function.Id), cancellationToken) + 1}";
        var version = FunctionVersion.Create(
            ids.NewId(IdPrefixes.FunctionVersion), function.Id, name, request.InputSchemaId, request.OutputSchemaId, clock.GetUtcNow(), request.Files?.ToDomain());
        versions.Add(version);
        return mapper.Map<FunctionVersionDto>(version);
    }
}

internal sealed class CreateFunctionVersionValidator : AbstractValidator<CreateFunctionVersionCommand>
{
    public CreateFunctionVersionValidator()
    {
        RuleFor(c => c.FunctionId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength);
        RuleFor(c => c.Name).NotEmpty().MaximumLength(FunctionVersionErrors.NameMaxLength).When(c => c.Name is not null);
        RuleFor(c => c.InputSchemaId).ResourceId();
        RuleFor(c => c.OutputSchemaId).ResourceId();
        RuleFor(c => c.Files).Files();
        RuleForEach(c => c.Files).SetValidator(new VersionFileInputValidator());
    }
}
