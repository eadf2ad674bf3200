using System.CommandLine;
using ScaleSweep.Hosting;

namespace ScaleSweep.Cli.Commands;

/// <summary><c>--dashboard-bind</c> and <c>--dashboard-credentials</c> of <c>silo</c>: where the dashboard listens and who may see it.</summary>
internal sealed class DashboardFlags
{
    private readonly Option<string?> _bind = new("--dashboard-bind")
    {
        Description = $"Address the dashboard listens on (default 127.0.0.1, whatever --bind says); beyond loopback it asks for basic authentication " +
            $"(${DashboardCredentials.Variable}=user:password or --dashboard-credentials).",
    };

    private readonly Option<string?> _credentials = new("--dashboard-credentials")
    {
        Description = $"File holding the dashboard's user:password (default: ${DashboardCredentials.Variable}).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_bind);
        command.Options.Add(_credentials);
    }

    /// <summary>Sets the dashboard's address and credentials on <paramref name="options"/>; usage errors for bad files or text.</summary>
    public void Apply(ParseResult parse, SiloHostOptions options)
    {
        options.DashboardBind = parse.GetValue(_bind);
        try
        {
            options.DashboardCredentials = parse.GetValue(_credentials) is { } file
                ? DashboardCredentials.Parse(File.Exists(file) ? File.ReadAllText(file) : throw new UsageException($"--dashboard-credentials: file '{file}' not found"), "--dashboard-credentials")
                : Environment.GetEnvironmentVariable(DashboardCredentials.Variable) is { Length: > 0 } text
                    ? DashboardCredentials.Parse(text, DashboardCredentials.Variable)
                    : null;
            if (options.DashboardBind is not null && options.DashboardPort is null) throw new UsageException("--dashboard-bind: needs --dashboard-port");
            // Checks the address and that credentials come with a non-loopback one.
            if (options.DashboardPort is not null) SiloHost.DashboardAddress(options);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
