using FunctionsPlatform.Domain.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FunctionsPlatform.Infrastructure.Persistence.Configurations;

public sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.ToTable("workspaces");
        builder.ConfigureAuditable();
        builder.Property(w => w.Name).HasMaxLength(Workspace.NameMaxLength).IsRequired();
        builder.OwnsMany(w => w.Members, members =>
        {
            members.ToTable("memberships");
            members.WithOwner().HasForeignKey(m => m.WorkspaceId);
            members.HasKey(m => new { m.WorkspaceId, m.UserId });
            members.Property(m => m.WorkspaceId).HasMaxLength(64);
            members.Property(m => m.UserId).HasMaxLength(64);
            members.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
            members.HasIndex(m => m.UserId);
        });
        builder.Navigation(w => w.Members).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
