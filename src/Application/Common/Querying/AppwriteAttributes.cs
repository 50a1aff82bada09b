using FunctionsPlatform.Application.Abstractions.Querying;

namespace FunctionsPlatform.Application.Common.Querying;

/// <summary>
/// The attributes an Appwrite list accepts in <c>queries</c>: its allow-list plus <c>$id</c>, <c>$createdAt</c>,
/// <c>$updatedAt</c>, each mapped to a catalogue field.
/// </summary>
public sealed class AppwriteAttributes
{
    public AppwriteAttributes(IQueryModel model, IEnumerable<string> attributes, bool selectAllowed = false)
    {
        Model = model;
        SelectAllowed = selectAllowed;
        var map = new Dictionary<string, QueryField>(StringComparer.Ordinal)
        {
            ["$id"] = model.Id,
            ["$createdAt"] = model.CreatedAt,
            ["$updatedAt"] = model.Fields["updatedAt"],
        };
        foreach (var attribute in attributes)
        {
            map[attribute] = model.Fields[attribute];
        }

        Fields = map;
    }

    public IQueryModel Model { get; }
    public bool SelectAllowed { get; }
    public IReadOnlyDictionary<string, QueryField> Fields { get; }
}
