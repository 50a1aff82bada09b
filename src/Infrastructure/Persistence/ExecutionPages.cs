using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Domain.Executions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FunctionsPlatform.Infrastructure.Persistence;

/// <summary>
/// One function's executions by offset in creation order: the page, whose ids are cut from the (FunctionId, CreatedAt,
/// Id) index alone before the rows are fetched by key (so an offset walks index entries, not table rows), then the
/// capped count (also an index walk) unless the page already tells it. Columns, types and converters come from the EF
/// model, so a value reads back exactly as EF reads it; the cost EF would add is its query pipeline and entity
/// materialisation, which is most of a page's time.
/// </summary>
internal sealed class ExecutionPages(AppDbContext db) : IExecutionPages
{
    /// <summary>Read in the order of <see cref="StoredExecution"/>'s fields.</summary>
    private static readonly string[] Fields =
    [
        nameof(Execution.Id), nameof(Execution.CreatedAt), nameof(Execution.UpdatedAt), nameof(Execution.FunctionId),
        nameof(Execution.WorkspaceId), nameof(Execution.DeploymentId), nameof(Execution.VersionId), nameof(Execution.Trigger),
        nameof(Execution.Status), nameof(Execution.RequestMethod), nameof(Execution.RequestPath), nameof(Execution.RequestHeaders),
        nameof(Execution.ResponseStatusCode), nameof(Execution.ResponseBody), nameof(Execution.ResponseHeaders), nameof(Execution.Logs),
        nameof(Execution.Errors), nameof(Execution.Duration), nameof(Execution.ScheduledAt), nameof(Execution.CreatedBy),
        nameof(Execution.ColdStart), nameof(Execution.InitDurationMs), nameof(Execution.ErrorKind),
    ];

    private static readonly ConcurrentDictionary<IModel, Statements> ByModel = new();

    public async Task<ExecutionPage> ReadAsync(ExecutionPageRequest request, CancellationToken ct)
    {
        var statements = StatementsFor(db);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var rows = new List<StoredExecution>(Math.Min(request.Take, 256));
            await using (var page = Command(connection, statements.Page(request.Descending)))
            {
                Add(page, statements.FunctionParameter, request.FunctionId);
                Add(page, statements.SkipParameter, request.Offset);
                Add(page, statements.TakeParameter, request.Take);
                await using var reader = await page.ExecuteReaderAsync(ct);
                var values = new object?[Fields.Length];
                while (await reader.ReadAsync(ct))
                {
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = statements.Columns[i].Read(reader, i);
                    }

                    rows.Add(Row(values));
                }
            }

            if (request.CountUpTo is not { } cap)
            {
                return new ExecutionPage(rows, null);
            }

            // What the page already proves needs no walk: a row at position offset + n means at least that many rows,
            // and a first page that came back short is the whole set.
            if (rows.Count > 0 && request.Offset + rows.Count >= cap)
            {
                return new ExecutionPage(rows, cap);
            }

            if (request.Offset == 0 && rows.Count < request.Take)
            {
                return new ExecutionPage(rows, rows.Count);
            }

            await using var count = Command(connection, statements.Count);
            Add(count, statements.FunctionParameter, request.FunctionId);
            Add(count, statements.CapParameter, cap);
            return new ExecutionPage(rows, Convert.ToInt64(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The page's command text for a context's provider (for plan and script tests).</summary>
    internal static string PageText(AppDbContext context, bool descending) => StatementsFor(context).Page(descending);

    /// <summary>The capped count's command text.</summary>
    internal static string CountText(AppDbContext context) => StatementsFor(context).Count;

    private DbCommand Command(DbConnection connection, string text)
    {
        var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = text;
        return command;
    }

    private static Statements StatementsFor(AppDbContext context) =>
        ByModel.GetOrAdd(context.Model, _ => new Statements(context));

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static StoredExecution Row(object?[] v) => new(
        (string)v[0]!, (DateTimeOffset)v[1]!, (DateTimeOffset)v[2]!, (string)v[3]!, (string)v[4]!, (string?)v[5], (string?)v[6],
        (ExecutionTrigger)v[7]!, (ExecutionStatus)v[8]!, (string)v[9]!, (string)v[10]!, (IReadOnlyList<HeaderPair>)v[11]!,
        (int)v[12]!, (string?)v[13], (IReadOnlyList<HeaderPair>)v[14]!, (string)v[15]!, (string)v[16]!, (double)v[17]!,
        (DateTimeOffset?)v[18], (string?)v[19], (bool)v[20]!, (double)v[21]!, (ExecutionErrorKind)v[22]!);

    /// <summary>A column's model type: the provider value is brought to the converter's (or property's) type, then converted.</summary>
    private sealed record Column(Type ProviderType, ValueConverter? Converter)
    {
        public object? Read(DbDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                return null;
            }

            // SQLite hands back its storage classes (an INTEGER for an int, a bool or a millisecond time): bring it to
            // the type the model maps, as EF's reader does.
            var raw = reader.GetValue(ordinal);
            if (raw.GetType() != ProviderType)
            {
                raw = Convert.ChangeType(raw, ProviderType, CultureInfo.InvariantCulture);
            }

            return Converter is null ? raw : Converter.ConvertFromProvider(raw);
        }
    }

    private sealed class Statements
    {
        private readonly string _ascending;
        private readonly string _descending;

        public Statements(AppDbContext context)
        {
            var sql = context.GetService<ISqlGenerationHelper>();
            var entityType = context.Model.FindEntityType(typeof(Execution))!;
            var table = StoreObjectIdentifier.Create(entityType, StoreObjectType.Table)!.Value;
            string Column(string property) => sql.DelimitIdentifier(entityType.FindProperty(property)!.GetColumnName(table)!);

            Columns = [.. Fields.Select(f =>
            {
                var property = entityType.FindProperty(f)!;
                var converter = property.GetTypeMapping().Converter;
                var type = converter?.ProviderClrType ?? property.ClrType;
                return new Column(Nullable.GetUnderlyingType(type) ?? type, converter);
            })];
            FunctionParameter = sql.GenerateParameterName("functionId");
            SkipParameter = sql.GenerateParameterName("skip");
            TakeParameter = sql.GenerateParameterName("take");
            CapParameter = sql.GenerateParameterName("cap");

            var sqlServer = context.Database.IsSqlServer();
            var from = sql.DelimitIdentifier(table.Name, table.Schema);
            var (id, createdAt, functionId) = (Column(nameof(Execution.Id)), Column(nameof(Execution.CreatedAt)), Column(nameof(Execution.FunctionId)));
            var select = string.Join(", ", Fields.Select(Column));
            var cut = sqlServer
                ? $"OFFSET {SkipParameter} ROWS FETCH NEXT {TakeParameter} ROWS ONLY"
                : $"LIMIT {TakeParameter} OFFSET {SkipParameter}";
            string PageIn(string direction)
            {
                var order = $"ORDER BY {createdAt} {direction}, {id} {direction}";
                return $"SELECT {select} FROM {from} WHERE {id} IN (SELECT {id} FROM {from} WHERE {functionId} = {FunctionParameter} {order} {cut}) {order}";
            }

            _ascending = PageIn("ASC");
            _descending = PageIn("DESC");
            Count = sqlServer
                ? $"SELECT COUNT_BIG(*) FROM (SELECT TOP ({CapParameter}) {id} FROM {from} WHERE {functionId} = {FunctionParameter}) AS [counted]"
                : $"SELECT COUNT(*) FROM (SELECT {id} FROM {from} WHERE {functionId} = {FunctionParameter} LIMIT {CapParameter})";
        }

        public Column[] Columns { get; }
        public string FunctionParameter { get; }
        public string SkipParameter { get; }
        public string TakeParameter { get; }
        public string CapParameter { get; }
        public string Count { get; }

        public string Page(bool descending) => descending ? _descending : _ascending;
    }
}
