using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Functions.Commands.DeleteFunction;

/// <summary>DELETE /api/functions/{id}: soft delete; the function stays readable by id and can be restored or purged.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record DeleteFunctionCommand(string Id) : ICommand<SuccessDto>;

internal sealed class DeleteFunctionHandler(IFunctionAccess access, TimeProvider clock) : MediatR.IRequestHandler<DeleteFunctionCommand, SuccessDto>
{
    public async Task<SuccessDto> Handle(DeleteFunctionCommand request, CancellationToken cancellationToken)
    {
        var function = await access.GetWritableAsync(request.Id, cancellationToken);
        function.SoftDelete(clock.GetUtcNow());
        return new SuccessDto(true);
    }
}
