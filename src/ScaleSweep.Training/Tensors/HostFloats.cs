using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Tensors;

/// <summary>
/// The memory of a contiguous float32 CPU tensor as a span, for the few element-wise updates that run faster as one
/// managed loop than as a chain of tensor ops (<see cref="Optimization.AdamKernel"/>). TorchSharp offers no span over a
/// tensor's storage, so the address comes from the same native call its own <c>data&lt;T&gt;()</c> accessor makes. The
/// span is valid while the tensor lives and its storage is not replaced.
/// </summary>
internal static class HostFloats
{
    /// <summary>True when <paramref name="tensor"/> can be read as a span (CPU, float32, contiguous).</summary>
    public static bool Fits(Tensor tensor) =>
        tensor.device_type == DeviceType.CPU && tensor.dtype == ScalarType.Float32 && tensor.is_contiguous() && tensor.numel() <= int.MaxValue;

    public static unsafe Span<float> Of(Tensor tensor)
    {
        if (!Fits(tensor)) throw new ArgumentException("a span needs a contiguous float32 CPU tensor of at most 2^31 elements", nameof(tensor));
        var data = THSTensor_data(tensor.Handle);
        if (data == IntPtr.Zero) throw new InvalidOperationException("libtorch returned no data pointer for the tensor");
        return new Span<float>(data.ToPointer(), (int)tensor.numel());
    }

    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr handle);
}
