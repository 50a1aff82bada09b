using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Functions.Commands.PurgeFunction;

/// <summary>DELETE /api/functions/{id}/purge: permanent; only a soft-deleted function (else 409). Versions, deployments, executions and variables go with it.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record PurgeFunctionCommand(string Id) : ICommand<SuccessDto>;

internal sealed class PurgeFunctionHandler(IFunctionAccess access, IRepository<Function> functions, TimeProvider clock)
    : MediatR.IRequestHandler<PurgeFunctionCommand, SuccessDto>
{
    public async Task<SuccessDto> Handle(PurgeFunctionCommand request, CancellationToken cancellationToken)
    {
        var function = await access.GetWritableAsync(request.Id, cancellationToken);
        function.EnsurePurgeable(clock.GetUtcNow());
        functions.Remove(function);
        return new SuccessDto(true);
    }
}
