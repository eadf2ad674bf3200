namespace ScaleSweep.Hosting;

/// <summary>Default Orleans cluster and service ids: silos and clients must agree on both.</summary>
public static class ClusterNames
{
    public const string DefaultClusterId = "scalesweep";
    public const string DefaultServiceId = "scalesweep";
}
