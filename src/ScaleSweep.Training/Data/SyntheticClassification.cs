using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Data;

/// <summary>
/// A deterministic synthetic task, generated from a fixed seed with no files: Gaussian inputs labelled by a
/// random two-layer tanh teacher network (argmax of its 10 outputs). Learnable but not linearly trivial.
/// </summary>
public static class SyntheticClassification
{
    public const int Inputs = 64;
    public const int Classes = 10;
    public const int TrainCount = 16384;
    public const int EvalCount = 4096;
    private const ulong Seed = 20261123;

    public static ClassificationData Generate()
    {
        using var generator = new Generator(Seed);
        using var scope = NewDisposeScope();
        var teacherHidden = randn([Inputs, 128], generator: generator).DivBy_(Math.Sqrt(Inputs));
        var teacherOut = randn([128, Classes], generator: generator).DivBy_(Math.Sqrt(128));
        Tensor Label(Tensor x) => x.matmul(teacherHidden).MulBy_(2).tanh_().matmul(teacherOut).argmax(1);

        var trainX = randn([TrainCount, Inputs], generator: generator);
        var evalX = randn([EvalCount, Inputs], generator: generator);
        var data = new ClassificationData("synthetic",
            trainX.MoveToOuterDisposeScope(), Label(trainX).MoveToOuterDisposeScope(),
            evalX.MoveToOuterDisposeScope(), Label(evalX).MoveToOuterDisposeScope(), Classes);
        return data;
    }
}
