using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.FunctionVersions.Queries.GetFunctionVersion;

[RequiresScope(Scope.FunctionsRead)]
public sealed record GetFunctionVersionQuery(string Id) : IQuery<FunctionVersionDto>;

internal sealed class GetFunctionVersionHandler(IFunctionVersionAccess access, IMapper mapper) : MediatR.IRequestHandler<GetFunctionVersionQuery, FunctionVersionDto>
{
    public async Task<FunctionVersionDto> Handle(GetFunctionVersionQuery request, CancellationToken cancellationToken) =>
        mapper.Map<FunctionVersionDto>((await access.GetVisibleAsync(request.Id, cancellationToken)).Version);
}
