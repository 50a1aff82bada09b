using System.Reflection;
using FunctionsPlatform.Domain.Variables;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FunctionsPlatform.Infrastructure.Security;

/// <summary>
/// Variable values are encrypted at rest with ASP.NET Core Data Protection (keys in the data directory, never in the
/// database): protected just before a save, unprotected again right after it and whenever a variable is loaded, so
/// the domain and the application only ever see plain values. Stateless, so one instance serves every pooled context.
/// Values stored before encryption (no prefix) read back as they are and are encrypted at their next change.
/// Covers function variables and workspace variables alike (both keep the value in <c>Value</c>).
/// </summary>
internal sealed class VariableValueProtection(IDataProtectionProvider provider) : SaveChangesInterceptor, IMaterializationInterceptor
{
    public const string Prefix = "dp1:";
    private const string Purpose = "FunctionsPlatform.Variables.Value.v1";
    private static readonly PropertyInfo FunctionValueProperty = typeof(Variable).GetProperty(nameof(Variable.Value))!;
    private static readonly PropertyInfo WorkspaceValueProperty = typeof(WorkspaceVariable).GetProperty(nameof(WorkspaceVariable.Value))!;

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string plain) => Prefix + _protector.Protect(plain);

    public string Unprotect(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal) ? _protector.Unprotect(stored[Prefix.Length..]) : stored;

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ProtectPending(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ProtectPending(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        RestorePlain(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        RestorePlain(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => RestorePlain(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        RestorePlain(eventData.Context);
        return Task.CompletedTask;
    }

    public object InitializedInstance(MaterializationInterceptionData materializationData, object entity)
    {
        if (entity is Variable variable && variable.Value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            FunctionValueProperty.SetValue(variable, Unprotect(variable.Value));
        }
        else if (entity is WorkspaceVariable shared && shared.Value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            WorkspaceValueProperty.SetValue(shared, Unprotect(shared.Value));
        }

        return entity;
    }

    private void ProtectPending(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var value in ValueProperties(context))
        {
            var entry = value.EntityEntry;
            var changed = entry.State == EntityState.Added || (entry.State == EntityState.Modified && value.IsModified);
            if (changed && value.CurrentValue is string plain && !plain.StartsWith(Prefix, StringComparison.Ordinal))
            {
                value.CurrentValue = Protect(plain);
            }
        }
    }

    private static List<PropertyEntry> ValueProperties(DbContext context) =>
    [
        .. context.ChangeTracker.Entries()
            .Where(e => e.Entity is Variable or WorkspaceVariable)
            .Select(e => e.Property(nameof(Variable.Value))),
    ];

    private void RestorePlain(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var value in ValueProperties(context))
        {
            var entry = value.EntityEntry;
            if (value.CurrentValue is string stored && stored.StartsWith(Prefix, StringComparison.Ordinal))
            {
                // After a successful save the entry is Unchanged: it must stay so once the plain value is back.
                var saved = entry.State == EntityState.Unchanged;
                var plain = Unprotect(stored);
                value.CurrentValue = plain;
                if (saved)
                {
                    value.OriginalValue = plain;
                    value.IsModified = false;
                }
            }
        }
    }
}
