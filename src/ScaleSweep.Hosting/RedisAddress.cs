using System.Net;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace ScaleSweep.Hosting;

/// <summary>
/// Parses and checks a Redis configuration: <c>host:port</c> or a full StackExchange.Redis configuration string
/// (<c>host:port,password=…,user=…,ssl=true</c>). Every message that echoes one goes through <see cref="Mask"/>.
/// </summary>
public static partial class RedisAddress
{
    private const string Shape = "host:port[,password=…][,user=…][,ssl=true]";

    /// <summary>Throws <see cref="ArgumentException"/> with a user-facing message (password masked) for a malformed configuration.</summary>
    public static ConfigurationOptions Parse(string? configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration)) throw new ArgumentException($"--redis: a Redis configuration {Shape} is required in cluster mode");
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            // The library's message may quote the offending option, password included: ours names the shape only.
            throw new ArgumentException($"--redis: '{Mask(configuration)}' is not a Redis configuration {Shape}");
        }
        if (options.EndPoints.Count == 0) throw new ArgumentException($"--redis: '{Mask(configuration)}' names no host:port");
        foreach (var endpoint in options.EndPoints)
        {
            var port = endpoint switch { DnsEndPoint d => d.Port, IPEndPoint i => i.Port, _ => 0 };
            if (port is < 1 or > 65535) throw new ArgumentException($"--redis: '{Mask(configuration)}' has an endpoint without a port ({Shape})");
        }
        // A connection that Redis drops later keeps retrying instead of failing at once (RedisAccess has checked at
        // start that Redis answers and accepts the credentials).
        options.AbortOnConnectFail = false;
        return options;
    }

    /// <summary>The configuration with its password replaced by <c>*****</c>: the only form that may be printed or logged.</summary>
    public static string Mask(string configuration) => PasswordOption().Replace(configuration, m => m.Groups["key"].Value + "=*****");

    /// <summary>True when the configuration carries a password (on a command line, other users see it in <c>ps</c>).</summary>
    public static bool HasPassword(string configuration) => PasswordOption().IsMatch(configuration);

    [GeneratedRegex(@"(?<key>(?<=^|,)\s*password\s*)=[^,]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordOption();
}
