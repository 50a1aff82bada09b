using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.ProxyRules;
using FunctionsPlatform.Domain.Schemas;
using FunctionsPlatform.Domain.Variables;
using FunctionsPlatform.Domain.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.Persistence;

/// <summary>
/// The model shared by both providers. Each provider has its own derived context (<see cref="SqliteAppDbContext"/>,
/// <see cref="SqlServerAppDbContext"/>) so that each keeps its own migrations (EF Core's "multiple providers" setup).
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>The named query filter that hides soft-deleted functions and versions.</summary>
    public const string SoftDeleteFilter = "SoftDelete";

    public DbSet<Function> Functions => Set<Function>();
    public DbSet<FunctionVersion> FunctionVersions => Set<FunctionVersion>();
    public DbSet<Deployment> Deployments => Set<Deployment>();
    public DbSet<Execution> Executions => Set<Execution>();
    public DbSet<Variable> Variables => Set<Variable>();
    public DbSet<WorkspaceVariable> WorkspaceVariables => Set<WorkspaceVariable>();
    public DbSet<Schema> Schemas => Set<Schema>();
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<User> Users => Set<User>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<ProxyRule> ProxyRules => Set<ProxyRule>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly, t => t.Namespace == typeof(Configurations.FunctionConfiguration).Namespace);
    }
}
