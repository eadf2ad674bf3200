using StackExchange.Redis;

namespace ScaleSweep.Hosting;

/// <summary>Parses and checks <c>--redis host:port</c>.</summary>
public static class RedisAddress
{
    /// <summary>Throws <see cref="ArgumentException"/> with a user-facing message for a malformed address.</summary>
    public static ConfigurationOptions Parse(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) throw new ArgumentException("--redis: a Redis address host:port is required in cluster mode");
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
            throw new ArgumentException($"--redis: '{address}' is not host:port");
        var options = ConfigurationOptions.Parse(address);
        // A silo that starts before Redis keeps retrying instead of failing at once.
        options.AbortOnConnectFail = false;
        return options;
    }
}
