using System.Text.Json;
using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Domain.Schemas;

namespace FunctionsPlatform.Application.Schemas;

internal static class SchemaDocumentRules
{
    /// <summary><c>schema</c> must be a JSON object that is a usable JSON Schema (draft 2020-12).</summary>
    public static IRuleBuilderOptionsConditions<T, JsonElement?> SchemaDocument<T>(this IRuleBuilder<T, JsonElement?> rule, IJsonSchemaValidator checker) =>
        rule.Custom((value, context) =>
        {
            if (value is not { ValueKind: JsonValueKind.Object } element)
            {
                context.AddFailure("schema", "'schema' must be a JSON Schema object.");
                return;
            }

            var text = element.GetRawText();
            if (text.Length > Schema.DocumentMaxLength)
            {
                context.AddFailure("schema", $"'schema' holds at most {Schema.DocumentMaxLength} characters.");
                return;
            }

            foreach (var problem in checker.CheckSchema(text))
            {
                context.AddFailure("schema", problem);
            }
        });
}
