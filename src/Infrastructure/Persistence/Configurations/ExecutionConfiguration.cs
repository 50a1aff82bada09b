using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Infrastructure.Persistence.Conversions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FunctionsPlatform.Infrastructure.Persistence.Configurations;

public sealed class ExecutionConfiguration : IEntityTypeConfiguration<Execution>
{
    public void Configure(EntityTypeBuilder<Execution> builder)
    {
        builder.ToTable("executions");
        builder.ConfigureAuditable();
        builder.Property(e => e.FunctionId).HasMaxLength(64).IsRequired();
        builder.Property(e => e.WorkspaceId).HasMaxLength(64).IsRequired();
        builder.Id(e => e.DeploymentId);
        builder.Id(e => e.VersionId);
        builder.Id(e => e.CreatedBy);
        builder.Property(e => e.Trigger).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.RequestMethod).HasMaxLength(16).IsRequired();
        builder.Property(e => e.RequestPath).HasMaxLength(2048).IsRequired();
        builder.Property(e => e.RequestHeaders).HasConversion(new JsonListConverter<HeaderPair>(), new JsonListComparer<HeaderPair>()).IsRequired();
        builder.Property(e => e.ResponseHeaders).HasConversion(new JsonListConverter<HeaderPair>(), new JsonListComparer<HeaderPair>()).IsRequired();
        builder.Property(e => e.Logs).IsRequired();
        builder.Property(e => e.Errors).IsRequired();
        builder.Property(e => e.LeaseOwner).HasMaxLength(128);
        builder.Property(e => e.ErrorKind).HasConversion<string>().HasMaxLength(24);
        builder.Ignore(e => e.IsFinished);

        builder.HasOne<Function>().WithMany().HasForeignKey(e => e.FunctionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.FunctionId, e.CreatedAt, e.Id });
        // The worker's claim query has a partial index of unfinished rows only (the provider contexts add it, each in
        // its own SQL): every synchronous invoke inserts a finished row, which then touches no queue index at all.
    }

    public const string UnfinishedIndex = "IX_executions_Unfinished";

    /// <summary>The statuses of <see cref="UnfinishedIndex"/>'s filter; the claim query repeats them as literals so the planner can use it.</summary>
    public static readonly ExecutionStatus[] UnfinishedStatuses = [ExecutionStatus.Waiting, ExecutionStatus.Scheduled, ExecutionStatus.Processing];

    internal static void AddUnfinishedIndex(ModelBuilder modelBuilder, Func<string, string> quote, string stringPrefix) =>
        modelBuilder.Entity<Execution>()
            .HasIndex(e => new { e.CreatedAt, e.Id, e.Status, e.ScheduledAt, e.LeaseExpiresAt }, UnfinishedIndex)
            .HasFilter($"{quote(nameof(Execution.Status))} IN ({string.Join(", ", UnfinishedStatuses.Select(s => $"{stringPrefix}'{s}'"))})");
}
