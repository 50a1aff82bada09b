using FunctionsPlatform.Domain.Schemas;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FunctionsPlatform.Infrastructure.Persistence.Configurations;

public sealed class SchemaConfiguration : IEntityTypeConfiguration<Schema>
{
    public void Configure(EntityTypeBuilder<Schema> builder)
    {
        builder.ToTable("schemas");
        builder.ConfigureAuditable();
        builder.Property(s => s.WorkspaceId).HasMaxLength(64).IsRequired();
        builder.Property(s => s.Name).HasMaxLength(Schema.NameMaxLength).IsRequired();
        builder.Property(s => s.Document).IsRequired();
        builder.HasIndex(s => new { s.WorkspaceId, s.CreatedAt, s.Id });
    }
}
