using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Variables;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FunctionsPlatform.Infrastructure.Persistence.Configurations;

public sealed class VariableConfiguration : IEntityTypeConfiguration<Variable>
{
    public void Configure(EntityTypeBuilder<Variable> builder)
    {
        builder.ToTable("variables");
        builder.ConfigureAuditable();
        builder.Property(v => v.FunctionId).HasMaxLength(64).IsRequired();
        builder.Property(v => v.Key).HasMaxLength(Variable.KeyMaxLength).IsRequired();
        // Encrypted at rest: the stored text is longer than the plain value.
        builder.Property(v => v.Value).HasMaxLength(Variable.ValueMaxLength * 2 + 128).IsRequired();
        builder.HasOne<Function>().WithMany().HasForeignKey(v => v.FunctionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => new { v.FunctionId, v.Key }).IsUnique();
        builder.HasIndex(v => new { v.FunctionId, v.CreatedAt, v.Id });
    }
}
