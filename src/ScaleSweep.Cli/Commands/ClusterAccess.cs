using System.CommandLine;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Hosting;

namespace ScaleSweep.Cli.Commands;

/// <summary>The <c>--redis</c> option and the sweep id argument shared by the cluster commands.</summary>
internal static class ClusterAccess
{
    public const string RedisVariable = "SCALESWEEP_REDIS";

    public static Option<string?> RedisOption() =>
        new("--redis") { Description = $"Redis host:port holding the cluster's membership (default: ${RedisVariable})." };

    public static Argument<string> SweepIdArgument() => new("ID") { Description = "Sweep id (as printed by submit)." };

    /// <summary>The Redis address from the option or the environment, checked; a usage error otherwise.</summary>
    public static string RequireRedis(string? option)
    {
        var address = option ?? Environment.GetEnvironmentVariable(RedisVariable);
        if (string.IsNullOrWhiteSpace(address)) throw new UsageException($"--redis host:port is required (or set {RedisVariable})");
        try
        {
            RedisAddress.Parse(address);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
        return address;
    }

    public static Task<ClusterClient> ConnectAsync(string? option, CancellationToken ct) =>
        ClusterClient.ConnectAsync(RequireRedis(option), ct);

    /// <summary>The sweep's status; an unknown id is a usage error (exit 2).</summary>
    public static async Task<SweepStatus> RequireStatusAsync(SweepClient sweeps, string id)
    {
        var status = await sweeps.StatusAsync(id);
        if (status.State == SweepState.Unknown) throw new UsageException($"no sweep with id '{id}'");
        return status;
    }
}
