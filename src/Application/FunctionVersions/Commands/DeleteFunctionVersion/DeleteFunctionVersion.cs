using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.FunctionVersions.Commands.DeleteFunctionVersion;

/// <summary>Soft delete. The function's default version is refused (409): the function would be left with nothing to run.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record DeleteFunctionVersionCommand(string Id) : ICommand<SuccessDto>;

internal sealed class DeleteFunctionVersionHandler(IFunctionVersionAccess access, TimeProvider clock) : MediatR.IRequestHandler<DeleteFunctionVersionCommand, SuccessDto>
{
    public async Task<SuccessDto> Handle(DeleteFunctionVersionCommand request, CancellationToken cancellationToken)
    {
        var (version, function) = await access.GetWritableAsync(request.Id, cancellationToken);
        function.EnsureLive();
        if (function.DefaultVersionId == version.Id)
        {
            throw new DomainException(FunctionVersionErrors.IsDefault);
        }

        version.SoftDelete(clock.GetUtcNow());
        return new SuccessDto(true);
    }
}
