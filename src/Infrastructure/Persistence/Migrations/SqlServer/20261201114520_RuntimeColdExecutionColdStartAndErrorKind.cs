using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FunctionsPlatform.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class RuntimeColdExecutionColdStartAndErrorKind : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "ColdStart",
                table: "executions",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ErrorKind",
                table: "executions",
                type: "nvarchar(24)",
                maxLength: 24,
                nullable: false,
                // Rows recorded before the kind existed read as "None": whose failure it was was never stored.
                defaultValue: "None");

            migrationBuilder.AddColumn<double>(
                name: "InitDurationMs",
                table: "executions",
                type: "float",
                nullable: false,
                defaultValue: 0.0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ColdStart",
                table: "executions");

            migrationBuilder.DropColumn(
                name: "ErrorKind",
                table: "executions");

            migrationBuilder.DropColumn(
                name: "InitDurationMs",
                table: "executions");
        }
    }
}
