using System.CommandLine;
using ScaleSweep.Hosting;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// How a command reaches the cluster: the Redis configuration (<c>--redis</c>, <c>--redis-config FILE</c>,
/// <c>SCALESWEEP_REDIS</c> or <c>SCALESWEEP_REDIS_CONFIG</c>) and mutual TLS (<c>--tls-cert/--tls-key</c> or
/// <c>--tls-pfx</c>, with <c>--tls-ca</c>; each also from <c>SCALESWEEP_TLS_*</c>, so containers set them once).
/// Shared by <c>silo</c>, <c>submit</c>, <c>status</c>, <c>watch</c>, <c>cancel</c> and <c>list</c>.
/// </summary>
internal sealed class ClusterFlags
{
    public const string RedisVariable = "SCALESWEEP_REDIS";
    public const string RedisConfigVariable = "SCALESWEEP_REDIS_CONFIG";

    private readonly Option<string?> _redis = new("--redis")
    {
        Description = $"Redis holding the cluster's membership: host:port or a StackExchange.Redis configuration (host:port,password=…,user=…,ssl=true). " +
            $"Secrets on the command line are visible in ps: prefer ${RedisVariable} or --redis-config (default: ${RedisVariable}).",
    };

    private readonly Option<string?> _redisConfig = new("--redis-config")
    {
        Description = $"File holding the Redis configuration (one line, or one option a line; # starts a comment) (default: ${RedisConfigVariable}).",
    };

    private readonly Option<string?> _tlsCert = new("--tls-cert") { Description = "PEM certificate of this process for mutual TLS (with --tls-key and --tls-ca) (default: $SCALESWEEP_TLS_CERT)." };

    private readonly Option<string?> _tlsKey = new("--tls-key") { Description = "PEM private key of --tls-cert (default: $SCALESWEEP_TLS_KEY)." };

    private readonly Option<string?> _tlsPfx = new("--tls-pfx")
    {
        Description = $"PKCS#12 certificate and key instead of --tls-cert/--tls-key (password: ${ClusterTls.PfxPasswordVariable}) (default: $SCALESWEEP_TLS_PFX).",
    };

    private readonly Option<string?> _tlsCa = new("--tls-ca")
    {
        Description = "PEM certificate of the cluster's CA: peers must present a certificate it signed, the system store is not used (default: $SCALESWEEP_TLS_CA).",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new[] { _redis, _redisConfig, _tlsCert, _tlsKey, _tlsPfx, _tlsCa }) command.Options.Add(option);
    }

    /// <summary>The checked Redis configuration and TLS material; a usage error (exit 2) for anything missing or malformed.</summary>
    public ClusterConnection Read(ParseResult parse)
    {
        var redis = Redis(parse.GetValue(_redis), parse.GetValue(_redisConfig));
        try
        {
            RedisAddress.Parse(redis);
            return new ClusterConnection(redis, Tls(parse));
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static string Redis(string? option, string? file)
    {
        if (option is not null && file is not null) throw new UsageException("--redis and --redis-config: give one, not both");
        if (option is not null)
        {
            if (RedisAddress.HasPassword(option))
                Console.Error.WriteLine($"warning: --redis carries a password, which other users of this machine can read (ps); use {RedisVariable} or --redis-config FILE");
            return option;
        }
        if (file is not null)
        {
            if (!File.Exists(file)) throw new UsageException($"--redis-config: file '{file}' not found");
            var lines = File.ReadLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
            var configuration = string.Join(',', lines);
            if (configuration.Length == 0) throw new UsageException($"--redis-config: '{file}' holds no Redis configuration");
            return configuration;
        }
        var variable = Environment.GetEnvironmentVariable(RedisVariable);
        if (!string.IsNullOrWhiteSpace(variable)) return variable;
        if (Variable(RedisConfigVariable) is { } path) return Redis(null, path);
        throw new UsageException($"--redis host:port is required (or --redis-config FILE, or set {RedisVariable} or {RedisConfigVariable})");
    }

    private ClusterTls? Tls(ParseResult parse)
    {
        var cert = parse.GetValue(_tlsCert) ?? Variable("SCALESWEEP_TLS_CERT");
        var key = parse.GetValue(_tlsKey) ?? Variable("SCALESWEEP_TLS_KEY");
        var pfx = parse.GetValue(_tlsPfx) ?? Variable("SCALESWEEP_TLS_PFX");
        var ca = parse.GetValue(_tlsCa) ?? Variable("SCALESWEEP_TLS_CA");
        if (cert is null && key is null && pfx is null && ca is null) return null;
        if (ca is null) throw new UsageException("--tls-ca: required with --tls-cert/--tls-key or --tls-pfx (peers are checked against it)");
        if (pfx is not null && (cert is not null || key is not null)) throw new UsageException("--tls-pfx: give it or --tls-cert/--tls-key, not both");
        if (pfx is null && (cert is null || key is null))
            throw new UsageException("--tls-cert and --tls-key: both are required for mutual TLS (or --tls-pfx)");
        return ClusterTls.Load(cert, key, pfx, Environment.GetEnvironmentVariable(ClusterTls.PfxPasswordVariable), ca);
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}

/// <summary>A checked way into the cluster: its Redis configuration and, when secured, this process's TLS material.</summary>
internal sealed record ClusterConnection(string Redis, ClusterTls? Tls);
