using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.Functions.Queries.GetFunction;

[RequiresScope(Scope.FunctionsRead)]
public sealed record GetFunctionQuery(string Id) : IQuery<FunctionDto>;

internal sealed class GetFunctionHandler(IFunctionAccess access, IMapper mapper) : MediatR.IRequestHandler<GetFunctionQuery, FunctionDto>
{
    public async Task<FunctionDto> Handle(GetFunctionQuery request, CancellationToken cancellationToken) =>
        mapper.Map<FunctionDto>(await access.GetVisibleAsync(request.Id, cancellationToken));
}
