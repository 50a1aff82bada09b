using FunctionsPlatform.Domain.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FunctionsPlatform.Infrastructure.Persistence.Configurations;

public sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.ConfigureAuditable();
        builder.Property(u => u.Name).HasMaxLength(User.NameMaxLength).IsRequired();
        builder.Property(u => u.Email).HasMaxLength(User.EmailMaxLength).IsRequired();
        builder.HasIndex(u => u.Email).IsUnique();
    }
}

public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.ConfigureAuditable();
        builder.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength).IsRequired();
        builder.Property(k => k.TokenHash).HasMaxLength(128).IsRequired();
        builder.Property(k => k.UserId).HasMaxLength(64).IsRequired();
        builder.Id(k => k.WorkspaceId);
        builder.JsonList(k => k.Scopes);
        builder.HasOne<User>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(k => k.TokenHash).IsUnique();
        builder.HasIndex(k => k.UserId);
    }
}

public sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.ToTable("sessions");
        builder.ConfigureAuditable();
        builder.Property(s => s.SecretHash).HasMaxLength(128).IsRequired();
        builder.Property(s => s.UserId).HasMaxLength(64).IsRequired();
        builder.Property(s => s.ApiKeyId).HasMaxLength(64).IsRequired();
        // A session dies with its key or its user (a revoked key stays as a row, so the join refuses it instead).
        builder.HasOne<ApiKey>().WithMany().HasForeignKey(s => s.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(s => s.SecretHash).IsUnique();
        builder.HasIndex(s => s.UserId);
    }
}
