using FunctionsPlatform.Domain.Functions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FunctionsPlatform.Infrastructure.Persistence.Configurations;

public sealed class FunctionConfiguration : IEntityTypeConfiguration<Function>
{
    public void Configure(EntityTypeBuilder<Function> builder)
    {
        // The trigger keeps function_counts in step with every write (see FunctionCountConfiguration). Declaring it
        // stops EF from using OUTPUT/RETURNING, which SQL Server refuses on a table with triggers.
        builder.ToTable("functions", t => t.HasTrigger(FunctionCountConfiguration.TriggerName));
        builder.ConfigureAuditable();
        builder.Property(f => f.WorkspaceId).HasMaxLength(64).IsRequired();
        builder.Property(f => f.Name).HasMaxLength(FunctionLimits.NameMaxLength).IsRequired();
        builder.Property(f => f.Description).HasMaxLength(FunctionLimits.DescriptionMaxLength);
        builder.Property(f => f.Source).HasMaxLength(16)
            .HasConversion(v => v.ToWire(), v => v == "system" ? FunctionSource.System : v == "openapi-op" ? FunctionSource.OpenapiOp : FunctionSource.Custom);
        builder.Id(f => f.CreatedBy);
        builder.Id(f => f.RuntimeUserId);
        builder.Id(f => f.DefaultVersionId);
        builder.Property(f => f.RetentionTier).HasMaxLength(FunctionLimits.RetentionTierMaxLength);
        builder.Property(f => f.Runtime).HasMaxLength(FunctionLimits.RuntimeMaxLength).IsRequired();
        builder.JsonList(f => f.Execute);
        builder.JsonList(f => f.Events);
        builder.JsonList(f => f.Scopes);
        builder.JsonList(f => f.ProviderBranches);
        builder.JsonList(f => f.ProviderPaths);
        builder.Property(f => f.Schedule).HasMaxLength(FunctionLimits.ScheduleMaxLength).IsRequired();
        builder.Property(f => f.Entrypoint).HasMaxLength(FunctionLimits.EntrypointMaxLength);
        builder.Property(f => f.Commands).HasMaxLength(FunctionLimits.CommandsMaxLength).IsRequired();
        builder.Property(f => f.BuildSpecification).HasMaxLength(FunctionLimits.SpecificationMaxLength).IsRequired();
        builder.Property(f => f.RuntimeSpecification).HasMaxLength(FunctionLimits.SpecificationMaxLength).IsRequired();
        builder.Property(f => f.ProtocolVersion).HasMaxLength(8).IsRequired();
        builder.Property(f => f.ProcessConcurrency); // existing rows get 1 through the migration's column default
        builder.Id(f => f.DeploymentId);
        builder.Id(f => f.LatestDeploymentId);
        builder.Property(f => f.LatestDeploymentStatus).HasMaxLength(16);
        builder.Property(f => f.InstallationId).HasMaxLength(FunctionLimits.ProviderFieldMaxLength).IsRequired();
        builder.Property(f => f.ProviderRepositoryId).HasMaxLength(FunctionLimits.ProviderFieldMaxLength).IsRequired();
        builder.Property(f => f.ProviderBranch).HasMaxLength(FunctionLimits.ProviderFieldMaxLength).IsRequired();
        builder.Property(f => f.ProviderRootDirectory).HasMaxLength(FunctionLimits.ProviderFieldMaxLength).IsRequired();
        builder.Ignore(f => f.IsDeleted);

        builder.HasQueryFilter(AppDbContext.SoftDeleteFilter, f => f.DeletedAt == null);

        // Keyset pages per workspace and for the global admin view, in the default order (createdAt desc, id desc) and
        // by name. DeletedAt sits before the sort key so the soft-delete predicate is served by the index, not the rows.
        builder.HasIndex(f => new { f.WorkspaceId, f.DeletedAt, f.CreatedAt, f.Id });
        builder.HasIndex(f => new { f.WorkspaceId, f.DeletedAt, f.Name, f.Id });
        builder.HasIndex(f => new { f.DeletedAt, f.CreatedAt, f.Id });
        builder.HasIndex(f => new { f.DeletedAt, f.Name, f.Id });
        // The index that finds system functions is provider-specific (ProviderContexts).
        builder.HasIndex(f => f.DefaultVersionId);
        builder.HasIndex(f => new { f.Enabled, f.ScheduleNext });
    }
}
