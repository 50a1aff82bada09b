using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.Functions.Commands.RestoreFunction;

[RequiresScope(Scope.FunctionsWrite)]
public sealed record RestoreFunctionCommand(string Id) : ICommand<FunctionDto>;

internal sealed class RestoreFunctionHandler(IFunctionAccess access, TimeProvider clock, IMapper mapper)
    : MediatR.IRequestHandler<RestoreFunctionCommand, FunctionDto>
{
    public async Task<FunctionDto> Handle(RestoreFunctionCommand request, CancellationToken cancellationToken)
    {
        var function = await access.GetWritableAsync(request.Id, cancellationToken);
        function.Restore(clock.GetUtcNow());
        return mapper.Map<FunctionDto>(function);
    }
}
