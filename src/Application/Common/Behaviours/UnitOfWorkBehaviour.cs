using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using MediatR;

namespace FunctionsPlatform.Application.Common.Behaviours;

/// <summary>Innermost, commands only: the handler's changes are saved once, in one transaction, under the provider's retry strategy.</summary>
public sealed class UnitOfWorkBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork) : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommand<TResponse>)
        {
            return next();
        }

        return unitOfWork.ExecuteInTransactionAsync(async ct =>
        {
            var response = await next();
            await unitOfWork.SaveChangesAsync(ct);
            return response;
        }, cancellationToken);
    }
}
