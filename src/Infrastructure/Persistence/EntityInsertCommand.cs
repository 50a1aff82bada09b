using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace FunctionsPlatform.Infrastructure.Persistence;

/// <summary>
/// A prepared <c>INSERT</c> of one entity type, built from the EF model: table and column names, provider type
/// mappings and value converters are the model's own, so a row written here reads back through EF exactly as if EF had
/// written it. For append-only hot paths, where change tracking and the per-save command building cost more than the
/// write itself.
/// </summary>
internal sealed class EntityInsertCommand<T> : IDisposable where T : class
{
    private readonly DbCommand _command;
    private readonly Column[] _columns;

    private sealed record Column(string ParameterName, IClrPropertyGetter Getter, RelationalTypeMapping Mapping, bool Nullable);

    public EntityInsertCommand(IModel model, ISqlGenerationHelper sql, DbConnection connection)
    {
        var entityType = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        if (entityType.GetNavigations().Any(n => n.TargetEntityType.IsOwned()) || entityType.GetComplexProperties().Any() || entityType.GetDerivedTypes().Any())
        {
            throw new NotSupportedException($"{typeof(T).Name} maps to more than one flat row; insert it through the unit of work.");
        }

        var table = StoreObjectIdentifier.Create(entityType, StoreObjectType.Table)
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");
        var properties = entityType.GetProperties().Where(p => p.GetComputedColumnSql(table) is null && p.GetColumnName(table) is not null).ToList();
        _columns = [.. properties.Select((p, i) => new Column(
            sql.GenerateParameterName("p" + i), p.GetGetter(), (RelationalTypeMapping)p.GetTypeMapping(), p.IsNullable))];
        _command = connection.CreateCommand();
        _command.CommandText =
            $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))}) " +
            $"VALUES ({string.Join(", ", _columns.Select(c => c.ParameterName))})";
    }

    public string CommandText => _command.CommandText;

    /// <summary>The parameters of the row bound last, as the provider will receive them.</summary>
    public DbParameterCollection Parameters => _command.Parameters;

    /// <summary>Inserts one row, inside <paramref name="transaction"/> or as a statement of its own.</summary>
    public async Task InsertAsync(T entity, DbTransaction? transaction, CancellationToken ct)
    {
        _command.Transaction = transaction;
        Bind(entity);
        await _command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Fresh parameters per row, each made by the column's type mapping, which applies the value converter and sizes the
    /// parameter by its value (nvarchar(n) or max on SQL Server).
    /// </summary>
    public void Bind(T entity)
    {
        _command.Parameters.Clear();
        foreach (var column in _columns)
        {
            _command.Parameters.Add(column.Mapping.CreateParameter(_command, column.ParameterName, column.Getter.GetClrValue(entity), column.Nullable));
        }
    }

    public void Dispose() => _command.Dispose();
}
