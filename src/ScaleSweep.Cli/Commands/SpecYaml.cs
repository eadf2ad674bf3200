using YamlDotNet.Serialization;

namespace ScaleSweep.Cli.Commands;

/// <summary>Writes spec fields given by dotted path (<c>model.width</c> → <c>model: { width: … }</c>) as YAML.</summary>
public static class SpecYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder().Build();

    public static string Write(IEnumerable<KeyValuePair<string, object>> fields)
    {
        var root = new Dictionary<string, object>();
        foreach (var (path, value) in fields)
        {
            var parts = path.Split('.');
            var node = root;
            foreach (var part in parts[..^1])
            {
                if (!node.TryGetValue(part, out var child)) node[part] = child = new Dictionary<string, object>();
                node = (Dictionary<string, object>)child;
            }
            node[parts[^1]] = value;
        }
        return Serializer.Serialize(root);
    }
}
