using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Infrastructure.Persistence.Conversions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FunctionsPlatform.Infrastructure.Persistence.Configurations;

internal static class ConfigurationExtensions
{
    public static void ConfigureAuditable<T>(this EntityTypeBuilder<T> builder) where T : AuditableEntity
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(IdPrefixes.MaxIdLength);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
        builder.Ignore(e => e.DomainEvents);
    }

    public static PropertyBuilder<IReadOnlyList<string>> JsonList<T>(this EntityTypeBuilder<T> builder, System.Linq.Expressions.Expression<Func<T, IReadOnlyList<string>>> property)
        where T : class =>
        builder.Property(property)
            .HasConversion(new JsonListConverter<string>(), new JsonListComparer<string>())
            .IsRequired();

    public static PropertyBuilder<string?> Id<T>(this EntityTypeBuilder<T> builder, System.Linq.Expressions.Expression<Func<T, string?>> property)
        where T : class =>
        builder.Property(property).HasMaxLength(IdPrefixes.MaxIdLength);
}
