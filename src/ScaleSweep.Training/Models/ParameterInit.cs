using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>Initialises a parameter from its parameterization with the trial's own generator (never the global RNG).</summary>
public static class ParameterInit
{
    public static void Fill(Tensor parameter, Parameterization parameterization, ParameterShape shape, Generator generator)
    {
        var std = parameterization.InitStd(shape);
        var mean = shape.Role is ParameterRoles.Bias or ParameterRoles.OutputBias or ParameterRoles.Norm ? 0 : parameterization.Table.InitMean;
        using var _ = no_grad();
        if (std == 0) parameter.FillWith_(mean);
        else if (parameterization.Table.InitDistribution == InitDistribution.Uniform.Name)
        {
            var bound = std * Math.Sqrt(3);
            parameter.uniform_(mean - bound, mean + bound, generator);
        }
        else parameter.normal_(mean, std, generator);
    }
}
