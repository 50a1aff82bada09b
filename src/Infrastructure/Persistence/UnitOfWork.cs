using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.Persistence;

/// <summary>
/// One transaction per command under the provider's execution strategy (retries SQL Server transients; eShop's pattern).
/// Domain events are collected before the save and dispatched only after it succeeded.
/// </summary>
internal sealed class UnitOfWork(IServiceProvider services) : IUnitOfWork
{
    private readonly List<IDomainEvent> _pending = [];
    private AppDbContext? _context;

    /// <summary>Rented on first use: a request that reads only caches (a warm invoke) takes no context from the pool.</summary>
    private AppDbContext Db => _context ??= services.GetRequiredService<AppDbContext>();

    public async Task SaveChangesAsync(CancellationToken ct = default)
    {
        var entities = Db.ChangeTracker.Entries<Entity>().Select(e => e.Entity).ToList();
        foreach (var entity in entities)
        {
            _pending.AddRange(entity.DomainEvents);
            entity.ClearDomainEvents();
        }

        try
        {
            await Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("The resource was changed by another request; read it again and retry.", "document_update_conflict");
        }

        if (Db.Database.CurrentTransaction is null)
        {
            await DispatchAsync(ct);
        }
    }

    public async Task<T> ExecuteInTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct = default)
    {
        if (Db.Database.CurrentTransaction is not null)
        {
            return await work(ct);
        }

        var strategy = Db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async token =>
        {
            _pending.Clear();
            await using var transaction = await Db.Database.BeginTransactionAsync(token);
            var value = await work(token);
            await transaction.CommitAsync(token);
            return value;
        }, ct);
        await DispatchAsync(ct);
        return result;
    }

    public void DiscardChanges()
    {
        Db.ChangeTracker.Clear();
        _pending.Clear();
    }

    private async Task DispatchAsync(CancellationToken ct)
    {
        var events = _pending.ToList();
        _pending.Clear();
        foreach (var domainEvent in events)
        {
            var handlerType = typeof(IDomainEventHandler<>).MakeGenericType(domainEvent.GetType());
            foreach (var handler in services.GetServices(handlerType))
            {
                var method = handlerType.GetMethod(nameof(IDomainEventHandler<IDomainEvent>.HandleAsync))!;
                await (Task)method.Invoke(handler, [domainEvent, ct])!;
            }
        }
    }
}
