using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Application.Abstractions.Persistence;

/// <summary>Reads aggregates by specification. Never saves.</summary>
public interface IReadRepository<T> where T : class
{
    Task<T?> FirstOrDefaultAsync(Specification<T> spec, CancellationToken ct = default);
    Task<TResult?> FirstOrDefaultAsync<TResult>(Specification<T, TResult> spec, CancellationToken ct = default);
    Task<List<T>> ListAsync(Specification<T> spec, CancellationToken ct = default);
    Task<List<TResult>> ListAsync<TResult>(Specification<T, TResult> spec, CancellationToken ct = default);
    Task<int> CountAsync(Specification<T> spec, CancellationToken ct = default);
    Task<bool> AnyAsync(Specification<T> spec, CancellationToken ct = default);
}

/// <summary>Tracks aggregates for the unit of work; <see cref="IUnitOfWork"/> saves them.</summary>
public interface IRepository<T> : IReadRepository<T> where T : class, IAggregateRoot
{
    void Add(T entity);
    void Remove(T entity);
}

public interface IUnitOfWork
{
    /// <summary>Saves every tracked change in one transaction and then dispatches the domain events raised.</summary>
    Task SaveChangesAsync(CancellationToken ct = default);

    /// <summary>Runs <paramref name="work"/> (which saves through this unit of work) under the provider's retrying execution strategy and a transaction.</summary>
    Task<T> ExecuteInTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct = default);

    /// <summary>
    /// Forgets every tracked change and the events they raised, after a save lost a concurrency race: the caller reads
    /// the aggregates again and redoes its change on what is now stored.
    /// </summary>
    void DiscardChanges();
}
