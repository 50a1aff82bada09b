namespace FunctionsPlatform.Application.Abstractions.Services;

/// <summary>Makes ids: prefix + '_' + lower-case time-ordered ULID.</summary>
public interface IIdGenerator
{
    string NewId(string prefix);
}

/// <summary>Validates JSON Schema documents (draft 2020-12) and instances against them.</summary>
public interface IJsonSchemaValidator
{
    /// <summary>The reasons the document is not a usable JSON Schema; empty when it is.</summary>
    IReadOnlyList<string> CheckSchema(string schemaJson);

    /// <summary>The reasons <paramref name="instanceJson"/> does not satisfy the schema; empty when it does.</summary>
    IReadOnlyList<string> Validate(string schemaJson, string instanceJson);
}
