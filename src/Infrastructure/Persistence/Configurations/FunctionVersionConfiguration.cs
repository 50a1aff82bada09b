using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Infrastructure.Persistence.Conversions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FunctionsPlatform.Infrastructure.Persistence.Configurations;

public sealed class FunctionVersionConfiguration : IEntityTypeConfiguration<FunctionVersion>
{
    public void Configure(EntityTypeBuilder<FunctionVersion> builder)
    {
        builder.ToTable("function_versions");
        builder.ConfigureAuditable();
        builder.Property(v => v.FunctionId).HasMaxLength(64).IsRequired();
        builder.Property(v => v.Name).HasMaxLength(FunctionVersionErrors.NameMaxLength).IsRequired();
        builder.Id(v => v.ParentId);
        builder.Id(v => v.InputSchemaId);
        builder.Id(v => v.OutputSchemaId);
        builder.Property(v => v.Files)
            .HasConversion(new VersionFilesConverter(), new JsonListComparer<VersionFile>())
            .IsRequired();
        builder.Ignore(v => v.IsDeleted);

        builder.HasQueryFilter(AppDbContext.SoftDeleteFilter, v => v.DeletedAt == null);

        builder.HasOne<Function>().WithMany().HasForeignKey(v => v.FunctionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => new { v.FunctionId, v.DeletedAt, v.CreatedAt, v.Id });
        builder.HasIndex(v => new { v.FunctionId, v.DeletedAt, v.Name });
        builder.HasIndex(v => new { v.DeletedAt, v.CreatedAt, v.Id });
        builder.HasIndex(v => v.ParentId);
        builder.HasIndex(v => v.InputSchemaId);
        builder.HasIndex(v => v.OutputSchemaId);
    }
}
