using TorchSharp;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Optimization;

/// <summary>
/// When a trial's optimizer updates its parameters one by one in a single pass over memory (<see cref="AdamKernel"/>,
/// <see cref="SgdKernel"/>) instead of as tensor ops: float32 CPU tensors in a trial that uses one thread (every
/// sweep trial by default). With more threads the tensor ops, which libtorch spreads over them, are faster.
/// </summary>
internal static class OnePass
{
    public static bool Applies(IEnumerable<Tensor> parameters) =>
        get_num_threads() == 1 && parameters.All(p => p.device_type == DeviceType.CPU && p.dtype == ScalarType.Float32);
}
