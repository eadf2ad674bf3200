using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ScaleSweep.Abstractions.Trials;

/// <summary>
/// Deterministic identity of a trial, derived from its whole configuration: the first 16 hex digits of the
/// SHA-256 of the spec's canonical JSON. Expanding the same sweep twice gives the same keys.
/// </summary>
public static class TrialKey
{
    private static readonly JsonSerializerOptions Canonical = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
    };

    public static string For(TrialSpec spec)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(spec, Canonical);
        var hash = SHA256.HashData(json);
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }
}
