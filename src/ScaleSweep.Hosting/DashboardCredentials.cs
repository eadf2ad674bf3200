using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ScaleSweep.Hosting;

/// <summary>
/// The user and password the Orleans dashboard asks for (HTTP basic authentication) when it listens beyond loopback.
/// Read from <see cref="Variable"/> or a file as <c>user:password</c>, never from the command line.
/// </summary>
public sealed class DashboardCredentials
{
    public const string Variable = "SCALESWEEP_DASHBOARD_CREDENTIALS";

    private readonly byte[] _expected;

    private DashboardCredentials(string user, string password)
    {
        User = user;
        _expected = Encoding.UTF8.GetBytes($"{user}:{password}");
    }

    public string User { get; }

    /// <summary>Parses <c>user:password</c>; <paramref name="source"/> names where it came from in errors (never the text itself).</summary>
    public static DashboardCredentials Parse(string text, string source)
    {
        var line = text.Trim();
        var colon = line.IndexOf(':');
        if (colon <= 0 || colon == line.Length - 1) throw new ArgumentException($"{source}: expected user:password");
        var password = line[(colon + 1)..];
        if (password.Length < 8) throw new ArgumentException($"{source}: the password must have at least 8 characters");
        return new DashboardCredentials(line[..colon], password);
    }

    /// <summary>True when the request's <c>Authorization: Basic</c> header carries these credentials (compared in constant time).</summary>
    public bool Admits(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Basic ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        byte[] given;
        try
        {
            given = Convert.FromBase64String(header[scheme.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(given, _expected);
    }

    /// <summary>Middleware: answers 401 with a basic-authentication challenge unless the request carries the credentials.</summary>
    public RequestDelegate Guard(RequestDelegate next) => context =>
    {
        if (Admits(context.Request)) return next(context);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"ScaleSweep\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    };
}
