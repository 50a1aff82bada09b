using MediatR;

namespace FunctionsPlatform.Application.Abstractions.Messaging;

/// <summary>A request that changes state: runs inside the unit-of-work behaviour (one transaction, one save).</summary>
public interface ICommand<out TResponse> : IRequest<TResponse>;

/// <summary>A read-only request.</summary>
public interface IQuery<out TResponse> : IRequest<TResponse>;
