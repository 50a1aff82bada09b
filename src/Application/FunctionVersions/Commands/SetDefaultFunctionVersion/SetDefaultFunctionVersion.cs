using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.FunctionVersions.Commands.SetDefaultFunctionVersion;

/// <summary>Makes this (live) version its function's default; answers with the function.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record SetDefaultFunctionVersionCommand(string Id) : ICommand<FunctionDto>;

internal sealed class SetDefaultFunctionVersionHandler(IFunctionVersionAccess access, TimeProvider clock, IMapper mapper)
    : MediatR.IRequestHandler<SetDefaultFunctionVersionCommand, FunctionDto>
{
    public async Task<FunctionDto> Handle(SetDefaultFunctionVersionCommand request, CancellationToken cancellationToken)
    {
        var (version, function) = await access.GetWritableAsync(request.Id, cancellationToken);
        function.SetDefaultVersion(version, clock.GetUtcNow());
        return mapper.Map<FunctionDto>(function);
    }
}
