using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Infrastructure.Persistence.Specifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.Persistence;

/// <summary>
/// Specification-driven repository over the scoped <see cref="AppDbContext"/>. It never saves: the unit of work does.
/// The context is rented from the pool on first use, so a request answered from caches (a warm invoke) rents none.
/// </summary>
internal sealed class EfReadRepository<T>(IServiceProvider services) : IReadRepository<T> where T : class
{
    private AppDbContext? _context;

    private AppDbContext Db => _context ??= services.GetRequiredService<AppDbContext>();

    private IQueryable<T> Query(Specification<T> spec) => SpecificationEvaluator.Apply(Db.Set<T>(), spec);

    public Task<T?> FirstOrDefaultAsync(Specification<T> spec, CancellationToken ct = default) => Query(spec).FirstOrDefaultAsync(ct);

    public Task<TResult?> FirstOrDefaultAsync<TResult>(Specification<T, TResult> spec, CancellationToken ct = default) =>
        SpecificationEvaluator.Apply(Db.Set<T>(), spec).FirstOrDefaultAsync(ct);

    public Task<List<T>> ListAsync(Specification<T> spec, CancellationToken ct = default) => Query(spec).ToListAsync(ct);

    public Task<List<TResult>> ListAsync<TResult>(Specification<T, TResult> spec, CancellationToken ct = default) =>
        SpecificationEvaluator.Apply(Db.Set<T>(), spec).ToListAsync(ct);

    public Task<int> CountAsync(Specification<T> spec, CancellationToken ct = default) =>
        SpecificationEvaluator.Apply(Db.Set<T>(), spec, criteriaOnly: true).CountAsync(ct);

    public Task<bool> AnyAsync(Specification<T> spec, CancellationToken ct = default) =>
        SpecificationEvaluator.Apply(Db.Set<T>(), spec, criteriaOnly: true).AnyAsync(ct);
}

internal sealed class EfRepository<T>(IServiceProvider services) : IRepository<T> where T : class, IAggregateRoot
{
    private readonly EfReadRepository<T> _reader = new(services);
    private AppDbContext? _context;

    private AppDbContext Db => _context ??= services.GetRequiredService<AppDbContext>();

    public void Add(T entity) => Db.Set<T>().Add(entity);
    public void Remove(T entity) => Db.Set<T>().Remove(entity);
    public Task<T?> FirstOrDefaultAsync(Specification<T> spec, CancellationToken ct = default) => _reader.FirstOrDefaultAsync(spec, ct);
    public Task<TResult?> FirstOrDefaultAsync<TResult>(Specification<T, TResult> spec, CancellationToken ct = default) => _reader.FirstOrDefaultAsync(spec, ct);
    public Task<List<T>> ListAsync(Specification<T> spec, CancellationToken ct = default) => _reader.ListAsync(spec, ct);
    public Task<List<TResult>> ListAsync<TResult>(Specification<T, TResult> spec, CancellationToken ct = default) => _reader.ListAsync(spec, ct);
    public Task<int> CountAsync(Specification<T> spec, CancellationToken ct = default) => _reader.CountAsync(spec, ct);
    public Task<bool> AnyAsync(Specification<T> spec, CancellationToken ct = default) => _reader.AnyAsync(spec, ct);
}
