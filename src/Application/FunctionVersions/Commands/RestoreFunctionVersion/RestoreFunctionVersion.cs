using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.FunctionVersions.Commands.RestoreFunctionVersion;

[RequiresScope(Scope.FunctionsWrite)]
public sealed record RestoreFunctionVersionCommand(string Id) : ICommand<FunctionVersionDto>;

internal sealed class RestoreFunctionVersionHandler(IFunctionVersionAccess access, TimeProvider clock, IMapper mapper)
    : MediatR.IRequestHandler<RestoreFunctionVersionCommand, FunctionVersionDto>
{
    public async Task<FunctionVersionDto> Handle(RestoreFunctionVersionCommand request, CancellationToken cancellationToken)
    {
        var (version, _) = await access.GetWritableAsync(request.Id, cancellationToken);
        version.Restore(clock.GetUtcNow());
        return mapper.Map<FunctionVersionDto>(version);
    }
}
