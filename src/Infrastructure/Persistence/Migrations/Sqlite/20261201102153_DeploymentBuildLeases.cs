using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FunctionsPlatform.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeploymentBuildLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "BuildAttempts",
                table: "deployments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "BuildLeaseExpiresAt",
                table: "deployments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BuildLeaseOwner",
                table: "deployments",
                type: "TEXT",
                maxLength: 128,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BuildAttempts",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "BuildLeaseExpiresAt",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "BuildLeaseOwner",
                table: "deployments");
        }
    }
}
