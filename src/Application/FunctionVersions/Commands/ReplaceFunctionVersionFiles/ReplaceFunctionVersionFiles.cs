using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.FunctionVersions.Commands.ReplaceFunctionVersionFiles;

/// <summary>PUT /api/function-versions/{id}/files: the version's files become exactly these.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record ReplaceFunctionVersionFilesCommand(string Id, IReadOnlyList<VersionFileInput>? Files) : ICommand<FunctionVersionDto>;

internal sealed class ReplaceFunctionVersionFilesHandler(IFunctionVersionAccess access, TimeProvider clock, IMapper mapper)
    : MediatR.IRequestHandler<ReplaceFunctionVersionFilesCommand, FunctionVersionDto>
{
    public async Task<FunctionVersionDto> Handle(ReplaceFunctionVersionFilesCommand request, CancellationToken cancellationToken)
    {
        var (version, function) = await access.GetWritableAsync(request.Id, cancellationToken);
        function.EnsureLive();
        version.ReplaceFiles(request.Files!.ToDomain(), clock.GetUtcNow());
        return mapper.Map<FunctionVersionDto>(version);
    }
}

internal sealed class ReplaceFunctionVersionFilesValidator : AbstractValidator<ReplaceFunctionVersionFilesCommand>
{
    public ReplaceFunctionVersionFilesValidator()
    {
        RuleFor(c => c.Files).NotNull().WithMessage("'files' is required.");
        RuleFor(c => c.Files).Files();
        RuleForEach(c => c.Files).SetValidator(new VersionFileInputValidator());
    }
}
