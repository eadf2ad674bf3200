using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Packing;

/// <summary>
/// The same <see cref="ScaledLinear"/> of k pack members as one layer: weights [k, out, in] and biases [k, 1, out]
/// copied from the members' own freshly initialised models, each member's multipliers from its own
/// parameterization. y = a_w·(x Wᵀ) + a_b·b per member, the ops of the unpacked layer in the same order.
/// </summary>
internal sealed class StackedLinear : IDisposable
{
    private readonly MemberScalars weightMultiplier;
    private readonly MemberScalars? biasMultiplier;

    /// <param name="members">The layer's parameters (weight, then bias if any) in each member's model, member by member.</param>
    public StackedLinear(IReadOnlyList<IReadOnlyList<ScaledParameter>> members, IReadOnlyList<Parameterization> parameterizations)
    {
        Name = ModuleName(members[0][0].Name);
        Weight = Stack(members.Select(m => m[0].Parameter), unsqueezeRows: false);
        weightMultiplier = new MemberScalars(members.Select((m, i) => parameterizations[i].Multiplier(m[0].Shape)).ToArray(), 3);
        Parameters = [new StackedParameter($"{Name}.weight", Weight, members.Select(m => m[0].Shape).ToArray())];
        if (members[0].Count > 1)
        {
            Bias = Stack(members.Select(m => m[1].Parameter), unsqueezeRows: true);
            biasMultiplier = new MemberScalars(members.Select((m, i) => parameterizations[i].Multiplier(m[1].Shape)).ToArray(), 3);
            Parameters = [.. Parameters, new StackedParameter($"{Name}.bias", Bias, members.Select(m => m[1].Shape).ToArray())];
        }
    }

    public string Name { get; }

    /// <summary>[k, out, in], trainable.</summary>
    public Tensor Weight { get; }

    /// <summary>[k, 1, out], trainable; null without bias.</summary>
    public Tensor? Bias { get; }

    public IReadOnlyList<StackedParameter> Parameters { get; }

    /// <param name="x">[k, batch, in] (each member its own rows), or [batch, in] shared by every member.</param>
    /// <returns>[k, batch, out].</returns>
    public Tensor Forward(Tensor x)
    {
        var y = weightMultiplier.Times(x.dim() == 2 ? Shared(x) : x.matmul(Weight.transpose(1, 2)));
        return Bias is null ? y : biasMultiplier!.AddScaledTo(y, Bias);
    }

    /// <summary>
    /// Input every member shares (the eval set): one matmul against all members' weights side by side, [batch, k·out],
    /// instead of a batched one that would copy the input k times.
    /// </summary>
    private Tensor Shared(Tensor x)
    {
        var (k, outFeatures) = (Weight.shape[0], Weight.shape[1]);
        return nn.functional.linear(x, Weight.view(k * outFeatures, -1)).view(x.shape[0], k, outFeatures).transpose(0, 1);
    }

    /// <summary>The module of a parameter name (<c>hidden.2.weight</c> → <c>hidden.2</c>).</summary>
    public static string ModuleName(string parameterName) => parameterName[..parameterName.LastIndexOf('.')];

    private static Tensor Stack(IEnumerable<Tensor> members, bool unsqueezeRows)
    {
        using var _ = no_grad();
        var stacked = stack(members.Select(p => unsqueezeRows ? p.detach().unsqueeze(0) : p.detach()).ToArray());
        return stacked.requires_grad_(true).DetachFromDisposeScope();
    }

    public void Dispose()
    {
        Weight.Dispose();
        Bias?.Dispose();
        weightMultiplier.Dispose();
        biasMultiplier?.Dispose();
    }
}

/// <summary>A stacked trainable tensor [k, …] and each member's role and fan-in for it.</summary>
internal sealed record StackedParameter(string Name, Tensor Value, IReadOnlyList<ParameterShape> Shapes);
