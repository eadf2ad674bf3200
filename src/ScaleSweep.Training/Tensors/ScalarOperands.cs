using ScaleSweep.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Tensors;

/// <summary>
/// Tensor ops with a number operand that stay correct while other threads allocate. TorchSharp turns a double
/// operand (<c>x.mul(2.0)</c>, <c>alpha: 0.5</c>) into a native Scalar that nothing references once its handle is
/// passed down: a GC started by any other thread can finalize it, and free it, while libtorch is still reading it.
/// The op then sees a garbage factor — a NaN, a wrong loss, or a "toDouble" error — about once in many thousand
/// calls, more often on a busy machine or in a silo full of threads. Here every Scalar lives in a variable that
/// is disposed after the op returns. Use these instead of passing a number to a tensor op — and instead of
/// <c>add</c>, <c>add_</c> and the <c>+</c> operator, which pass a temporary alpha of 1 the same way.
/// </summary>
public static class ScalarOperands
{
    /// <summary>Integer 1, as TorchSharp's own <c>add(Tensor)</c> passes it; static, so never finalized.</summary>
    private static readonly Scalar One = 1.ToScalar();

    /// <summary>x + y.</summary>
    public static Tensor Plus(this Tensor x, Tensor y) => x.add(y, One);

    /// <summary>x += y.</summary>
    public static Tensor Plus_(this Tensor x, Tensor y) => x.add_(y, One);

    public static Tensor MulBy(this Tensor x, double factor)
    {
        using var s = factor.ToScalar();
        return x.mul(s);
    }

    public static Tensor MulBy_(this Tensor x, double factor)
    {
        using var s = factor.ToScalar();
        return x.mul_(s);
    }

    public static Tensor DivBy(this Tensor x, double divisor)
    {
        using var s = divisor.ToScalar();
        return x.div(s);
    }

    public static Tensor DivBy_(this Tensor x, double divisor)
    {
        using var s = divisor.ToScalar();
        return x.div_(s);
    }

    /// <summary>x + alpha·y.</summary>
    public static Tensor AddScaled(this Tensor x, Tensor y, double alpha)
    {
        using var s = alpha.ToScalar();
        return x.add(y, s);
    }

    /// <summary>x += alpha·y.</summary>
    public static Tensor AddScaled_(this Tensor x, Tensor y, double alpha)
    {
        using var s = alpha.ToScalar();
        return x.add_(y, s);
    }

    /// <summary>x += value.</summary>
    public static Tensor AddConstant_(this Tensor x, double value)
    {
        using var s = value.ToScalar();
        return x.add_(s, One);
    }

    /// <summary>x += value·a·b.</summary>
    public static Tensor AddProduct_(this Tensor x, Tensor a, Tensor b, double value)
    {
        using var s = value.ToScalar();
        return x.addcmul_(a, b, s);
    }

    /// <summary>x += value·a/b.</summary>
    public static Tensor AddQuotient_(this Tensor x, Tensor a, Tensor b, double value)
    {
        using var s = value.ToScalar();
        return x.addcdiv_(a, b, s);
    }

    /// <summary>x·x: TorchSharp's <c>square()</c> is <c>pow</c> with a temporary exponent Scalar of 2.</summary>
    public static Tensor Squared(this Tensor x) => x.mul(x);

    public static Tensor FillWith_(this Tensor x, double value)
    {
        using var s = value.ToScalar();
        return x.fill_(s);
    }
}
