using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FunctionsPlatform.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UnfinishedExecutionsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_executions_Status_LeaseExpiresAt",
                table: "executions");

            migrationBuilder.DropIndex(
                name: "IX_executions_Status_ScheduledAt",
                table: "executions");

            migrationBuilder.CreateIndex(
                name: "IX_executions_Unfinished",
                table: "executions",
                columns: new[] { "CreatedAt", "Id", "Status", "ScheduledAt", "LeaseExpiresAt" },
                filter: "\"Status\" IN ('Waiting', 'Scheduled', 'Processing')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_executions_Unfinished",
                table: "executions");

            migrationBuilder.CreateIndex(
                name: "IX_executions_Status_LeaseExpiresAt",
                table: "executions",
                columns: new[] { "Status", "LeaseExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_executions_Status_ScheduledAt",
                table: "executions",
                columns: new[] { "Status", "ScheduledAt" });
        }
    }
}
