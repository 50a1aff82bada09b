using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Functions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FunctionsPlatform.Infrastructure.Persistence.Configurations;

public sealed class DeploymentConfiguration : IEntityTypeConfiguration<Deployment>
{
    public void Configure(EntityTypeBuilder<Deployment> builder)
    {
        builder.ToTable("deployments");
        builder.ConfigureAuditable();
        builder.Property(d => d.FunctionId).HasMaxLength(64).IsRequired();
        builder.Property(d => d.Type).HasMaxLength(16).IsRequired();
        builder.Property(d => d.Entrypoint).HasMaxLength(FunctionLimits.EntrypointMaxLength).IsRequired();
        builder.Property(d => d.Commands).HasMaxLength(FunctionLimits.CommandsMaxLength).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.SourceKey).HasMaxLength(128);
        builder.Property(d => d.BuildKey).HasMaxLength(128);
        builder.Property(d => d.BuildLogs).IsRequired();
        builder.Property(d => d.BuildLeaseOwner).HasMaxLength(128);
        foreach (var name in new[]
                 {
                     nameof(Deployment.ProviderRepositoryName), nameof(Deployment.ProviderRepositoryOwner), nameof(Deployment.ProviderRepositoryUrl),
                     nameof(Deployment.ProviderCommitHash), nameof(Deployment.ProviderCommitAuthor), nameof(Deployment.ProviderCommitAuthorUrl),
                     nameof(Deployment.ProviderCommitMessage), nameof(Deployment.ProviderCommitUrl), nameof(Deployment.ProviderBranch),
                     nameof(Deployment.ProviderBranchUrl),
                 })
        {
            builder.Property<string>(name).HasMaxLength(Deployment.ProviderFieldMaxLength).IsRequired();
        }

        builder.Ignore(d => d.TotalSize);
        builder.Ignore(d => d.Provider);
        builder.Ignore(d => d.IsUploadComplete);
        builder.Ignore(d => d.IsQueued);

        builder.HasOne<Function>().WithMany().HasForeignKey(d => d.FunctionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.FunctionId, d.CreatedAt, d.Id });
        builder.HasIndex(d => d.Status);
    }
}
