using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// A lookup table [entries, width] with role <c>input</c> and fan-in = entries: an embedding is a linear map
/// on one-hot inputs, so every table's input rule applies unchanged (SP: U(±1/√entries); μP: the same,
/// constant in width).
/// </summary>
public sealed class ScaledEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly ScaledWeight table;
    private readonly long width;

    public ScaledEmbedding(string name, long entries, long width, Parameterization parameterization, Generator generator)
        : base(name)
    {
        this.width = width;
        table = new ScaledWeight($"{name}.weight", [entries, width],
            new ParameterShape(ParameterRoles.Input, entries, entries), parameterization, generator);
        RegisterComponents();
    }

    public ScaledParameter ScaledParameter => table.Scaled;

    /// <summary>indices [..] (int64) → [.., width].</summary>
    public override Tensor forward(Tensor indices)
    {
        var rows = table.Value.index_select(0, indices.reshape(-1));
        return table.Scale(rows).view([.. indices.shape, width]);
    }
}
