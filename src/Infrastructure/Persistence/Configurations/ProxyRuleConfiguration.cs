using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.ProxyRules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FunctionsPlatform.Infrastructure.Persistence.Configurations;

public sealed class ProxyRuleConfiguration : IEntityTypeConfiguration<ProxyRule>
{
    public void Configure(EntityTypeBuilder<ProxyRule> builder)
    {
        builder.ToTable("proxy_rules");
        builder.ConfigureAuditable();
        builder.Property(r => r.Domain).HasMaxLength(ProxyRule.DomainMaxLength).IsRequired();
        builder.Property(r => r.WorkspaceId).HasMaxLength(IdPrefixes.MaxIdLength).IsRequired();
        builder.Property(r => r.FunctionId).HasMaxLength(IdPrefixes.MaxIdLength).IsRequired();
        // A rule goes with its function (a /v1 delete removes the function's row).
        builder.HasOne<Function>().WithMany().HasForeignKey(r => r.FunctionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.Domain).IsUnique();
        builder.HasIndex(r => new { r.WorkspaceId, r.CreatedAt, r.Id });
    }
}
