using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using MediatR;

namespace FunctionsPlatform.Application.Common.Behaviours;

/// <summary>
/// Innermost, commands only: the handler's changes are saved once, in one transaction, under the provider's retry
/// strategy. Queries and self-saving commands (invoke) meet no constraint, so their pipelines have no such step.
/// </summary>
public sealed class UnitOfWorkBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork) : IPipelineBehavior<TRequest, TResponse>
    where TRequest : ICommand<TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next) =>
        unitOfWork.ExecuteInTransactionAsync(async ct =>
        {
            var response = await next();
            await unitOfWork.SaveChangesAsync(ct);
            return response;
        }, cancellationToken);
}
