using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.FunctionVersions.Commands.ForkFunctionVersion;

/// <summary>POST /api/function-versions/{id}/fork: a new version with the same files and schemas, <c>parentId</c> = the source.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record ForkFunctionVersionCommand(string Id, string? Name) : ICommand<FunctionVersionDto>;

internal sealed class ForkFunctionVersionHandler(IFunctionVersionAccess access, IRepository<FunctionVersion> versions, IIdGenerator ids, TimeProvider clock, IMapper mapper)
    : MediatR.IRequestHandler<ForkFunctionVersionCommand, FunctionVersionDto>
{
    public async Task<FunctionVersionDto> Handle(ForkFunctionVersionCommand request, CancellationToken cancellationToken)
    {
        var (source, function) = await access.GetWritableAsync(request.Id, cancellationToken);
        function.EnsureLive();
        var fork = source.Fork(ids.NewId(IdPrefixes.FunctionVersion), request.Name, clock.GetUtcNow());
        versions.Add(fork);
        return mapper.Map<FunctionVersionDto>(fork);
    }
}

internal sealed class ForkFunctionVersionValidator : AbstractValidator<ForkFunctionVersionCommand>
{
    public ForkFunctionVersionValidator() =>
        RuleFor(c => c.Name).NotEmpty().MaximumLength(FunctionVersionErrors.NameMaxLength).When(c => c.Name is not null);
}
