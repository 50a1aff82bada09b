using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Infrastructure.Persistence.Specifications;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.Persistence;

/// <summary>Specification-driven repository over the scoped <see cref="AppDbContext"/>. It never saves: the unit of work does.</summary>
internal sealed class EfReadRepository<T>(AppDbContext db) : IReadRepository<T> where T : class
{
    private IQueryable<T> Query(Specification<T> spec) => SpecificationEvaluator.Apply(db.Set<T>(), spec);

    public Task<T?> FirstOrDefaultAsync(Specification<T> spec, CancellationToken ct = default) => Query(spec).FirstOrDefaultAsync(ct);

    public Task<TResult?> FirstOrDefaultAsync<TResult>(Specification<T, TResult> spec, CancellationToken ct = default) =>
        SpecificationEvaluator.Apply(db.Set<T>(), spec).FirstOrDefaultAsync(ct);

    public Task<List<T>> ListAsync(Specification<T> spec, CancellationToken ct = default) => Query(spec).ToListAsync(ct);

    public Task<List<TResult>> ListAsync<TResult>(Specification<T, TResult> spec, CancellationToken ct = default) =>
        SpecificationEvaluator.Apply(db.Set<T>(), spec).ToListAsync(ct);

    public Task<int> CountAsync(Specification<T> spec, CancellationToken ct = default) =>
        SpecificationEvaluator.Apply(db.Set<T>(), spec, criteriaOnly: true).CountAsync(ct);

    public Task<bool> AnyAsync(Specification<T> spec, CancellationToken ct = default) =>
        SpecificationEvaluator.Apply(db.Set<T>(), spec, criteriaOnly: true).AnyAsync(ct);
}

internal sealed class EfRepository<T>(AppDbContext db) : IRepository<T> where T : class, IAggregateRoot
{
    private readonly EfReadRepository<T> _reader = new(db);

    public void Add(T entity) => db.Set<T>().Add(entity);
    public void Remove(T entity) => db.Set<T>().Remove(entity);
    public Task<T?> FirstOrDefaultAsync(Specification<T> spec, CancellationToken ct = default) => _reader.FirstOrDefaultAsync(spec, ct);
    public Task<TResult?> FirstOrDefaultAsync<TResult>(Specification<T, TResult> spec, CancellationToken ct = default) => _reader.FirstOrDefaultAsync(spec, ct);
    public Task<List<T>> ListAsync(Specification<T> spec, CancellationToken ct = default) => _reader.ListAsync(spec, ct);
    public Task<List<TResult>> ListAsync<TResult>(Specification<T, TResult> spec, CancellationToken ct = default) => _reader.ListAsync(spec, ct);
    public Task<int> CountAsync(Specification<T> spec, CancellationToken ct = default) => _reader.CountAsync(spec, ct);
    public Task<bool> AnyAsync(Specification<T> spec, CancellationToken ct = default) => _reader.AnyAsync(spec, ct);
}
