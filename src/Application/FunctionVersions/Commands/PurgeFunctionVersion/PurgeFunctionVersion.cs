using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.FunctionVersions.Commands.PurgeFunctionVersion;

/// <summary>Permanent delete of a soft-deleted version (409 otherwise).</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record PurgeFunctionVersionCommand(string Id) : ICommand<SuccessDto>;

internal sealed class PurgeFunctionVersionHandler(IFunctionVersionAccess access, IRepository<FunctionVersion> versions)
    : MediatR.IRequestHandler<PurgeFunctionVersionCommand, SuccessDto>
{
    public async Task<SuccessDto> Handle(PurgeFunctionVersionCommand request, CancellationToken cancellationToken)
    {
        var (version, _) = await access.GetWritableAsync(request.Id, cancellationToken);
        version.EnsurePurgeable();
        versions.Remove(version);
        return new SuccessDto(true);
    }
}
