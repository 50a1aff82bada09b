using FunctionsPlatform.Domain.Variables;
using FunctionsPlatform.Domain.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FunctionsPlatform.Infrastructure.Persistence.Configurations;

public sealed class WorkspaceVariableConfiguration : IEntityTypeConfiguration<WorkspaceVariable>
{
    public void Configure(EntityTypeBuilder<WorkspaceVariable> builder)
    {
        builder.ToTable("workspace_variables");
        builder.ConfigureAuditable();
        builder.Property(v => v.WorkspaceId).HasMaxLength(64).IsRequired();
        builder.Property(v => v.Key).HasMaxLength(Variable.KeyMaxLength).IsRequired();
        // Encrypted at rest: the stored text is longer than the plain value.
        builder.Property(v => v.Value).HasMaxLength(Variable.ValueMaxLength * 2 + 128).IsRequired();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(v => v.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => new { v.WorkspaceId, v.Key }).IsUnique();
        builder.HasIndex(v => new { v.WorkspaceId, v.CreatedAt, v.Id });
    }
}
