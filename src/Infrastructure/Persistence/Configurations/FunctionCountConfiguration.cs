using FunctionsPlatform.Infrastructure.Persistence.ReadModels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FunctionsPlatform.Infrastructure.Persistence.Configurations;

public sealed class FunctionCountConfiguration : IEntityTypeConfiguration<WorkspaceFunctionCount>
{
    /// <summary>The trigger on <c>functions</c> that maintains the counts (on SQLite: this name plus _insert / _delete).</summary>
    public const string TriggerName = "functions_live_count";

    public void Configure(EntityTypeBuilder<WorkspaceFunctionCount> builder)
    {
        builder.ToTable("function_counts");
        builder.HasKey(c => c.WorkspaceId);
        builder.Property(c => c.WorkspaceId).HasMaxLength(64);
    }
}
