using MediatR;

namespace FunctionsPlatform.Application.Abstractions.Messaging;

/// <summary>A request that changes state: runs inside the unit-of-work behaviour (one transaction, one save).</summary>
public interface ICommand<out TResponse> : IRequest<TResponse>;

/// <summary>A read-only request.</summary>
public interface IQuery<out TResponse> : IRequest<TResponse>;

/// <summary>
/// A command that saves its own changes, outside the unit-of-work transaction: for work that waits on something slow
/// (user code) and must not hold the database's write lock meanwhile. Its handler calls <c>IUnitOfWork.SaveChangesAsync</c>.
/// </summary>
public interface ISelfSavingCommand<out TResponse> : IRequest<TResponse>;

/// <summary>
/// A request that reads or removes execution records: it first waits for the records of runs already answered, which
/// are written behind their callers, so what a caller was just told about is there.
/// </summary>
public interface IReadsExecutionRecords;
