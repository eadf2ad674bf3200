using System.Text;
using System.Text.Json.Nodes;

namespace ScaleSweep.Training.Commands;

/// <summary>
/// <c>{name}</c> in an argument of <c>model.run</c> becomes the trial's value of that name (a top-level scalar of the
/// <see cref="TrialDocument"/>: numbers in shortest round-trip form, text as is); <c>{{</c> and <c>}}</c> are literal
/// braces. The result is one argument: nothing is split or interpreted by a shell.
/// </summary>
public static class Placeholders
{
    /// <summary>The argument with its placeholders filled; <paramref name="error"/> says what is wrong otherwise.</summary>
    public static string? Expand(string argument, JsonObject doc, out string? error)
    {
        error = null;
        var text = new StringBuilder(argument.Length);
        for (var i = 0; i < argument.Length; i++)
        {
            var c = argument[i];
            if ((c == '{' || c == '}') && i + 1 < argument.Length && argument[i + 1] == c)
            {
                text.Append(c);
                i++;
                continue;
            }
            if (c == '}')
            {
                error = "a lone '}' (write '}}' for a literal brace)";
                return null;
            }
            if (c != '{')
            {
                text.Append(c);
                continue;
            }
            var end = argument.IndexOf('}', i + 1);
            if (end < 0)
            {
                error = "an unclosed '{' (write '{{' for a literal brace)";
                return null;
            }
            var name = argument[(i + 1)..end];
            if (doc[name] is not JsonValue value)
            {
                error = $"unknown placeholder '{{{name}}}' (known: {string.Join(", ", TrialDocument.PlaceholderNames(doc).Select(n => $"{{{n}}}"))})";
                return null;
            }
            text.Append(value.TryGetValue<string>(out var s) ? s : value.ToJsonString());
            i = end;
        }
        return text.ToString();
    }
}
